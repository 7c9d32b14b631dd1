package io.terrace.schema;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly maintenance window in UTC, written as RDS writes it: {@code ddd:hh24:mi-ddd:hh24:mi}
 * (e.g. {@code sun:02:00-sun:04:00}). It may wrap past Sunday midnight ({@code sun:23:00-mon:01:00}).
 * At least {@value #MIN_MINUTES} minutes (ElastiCache's minimum) and at most {@value #MAX_MINUTES}
 * minutes: ElastiCache's daily snapshot window must not overlap the maintenance window, so a day
 * keeps an hour outside it ({@link #snapshotWindow()}).
 */
public record MaintenanceWindow(DayOfWeek startDay, int startMinute, DayOfWeek endDay, int endMinute) {

    public static final int MIN_MINUTES = 60;
    public static final int MAX_MINUTES = 23 * 60;
    private static final int WEEK = 7 * 24 * 60;
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Pattern FORMAT = Pattern.compile("^([a-z]{3}):(\\d{2}):(\\d{2})-([a-z]{3}):(\\d{2}):(\\d{2})$");

    /** The window, or why it is not one (a message without the field's name). */
    public static Parsed parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return new Parsed(Optional.empty(), Optional.of("is not a window; write ddd:hh:mm-ddd:hh:mm in UTC, "
                    + "e.g. sun:02:00-sun:04:00"));
        }
        int sd = DAYS.indexOf(m.group(1));
        int ed = DAYS.indexOf(m.group(4));
        if (sd < 0 || ed < 0) {
            return new Parsed(Optional.empty(), Optional.of("names an unknown day; days are "
                    + String.join(", ", DAYS)));
        }
        int sh = Integer.parseInt(m.group(2));
        int sm = Integer.parseInt(m.group(3));
        int eh = Integer.parseInt(m.group(5));
        int em = Integer.parseInt(m.group(6));
        if (sh > 23 || eh > 23 || sm > 59 || em > 59) {
            return new Parsed(Optional.empty(), Optional.of("has a time outside 00:00-23:59"));
        }
        MaintenanceWindow w = new MaintenanceWindow(DayOfWeek.of(sd + 1), sh * 60 + sm, DayOfWeek.of(ed + 1), eh * 60 + em);
        long minutes = w.length().toMinutes();
        if (minutes < MIN_MINUTES) {
            return new Parsed(Optional.empty(), Optional.of("lasts " + minutes + " minutes; a window needs at least "
                    + MIN_MINUTES + " (ElastiCache's minimum)"));
        }
        if (minutes > MAX_MINUTES) {
            return new Parsed(Optional.empty(), Optional.of("lasts " + minutes / 60 + " hours " + minutes % 60
                    + " minutes; a window may last at most 23 hours (the cache's daily snapshot window needs an"
                    + " hour outside it)"));
        }
        return new Parsed(Optional.of(w), Optional.empty());
    }

    /** A window already checked by the spec rules. */
    public static MaintenanceWindow of(String text) {
        Parsed p = parse(text);
        return p.window().orElseThrow(() -> new IllegalArgumentException("maintenance window " + text + " "
                + p.problem().orElse("")));
    }

    public record Parsed(Optional<MaintenanceWindow> window, Optional<String> problem) {}

    private int startOfWeek() {
        return (startDay.getValue() - 1) * 24 * 60 + startMinute;
    }

    private int endOfWeek() {
        return (endDay.getValue() - 1) * 24 * 60 + endMinute;
    }

    public Duration length() {
        return Duration.ofMinutes(Math.floorMod(endOfWeek() - startOfWeek(), WEEK));
    }

    /** Whether {@code t} falls inside the window (start included, end excluded). */
    public boolean contains(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        int now = (z.getDayOfWeek().getValue() - 1) * 24 * 60 + z.getHour() * 60 + z.getMinute();
        return Math.floorMod(now - startOfWeek(), WEEK) < length().toMinutes();
    }

    /** The first start of the window at or after {@code t}. */
    public Instant nextStart(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.nextOrSame(startDay)).plusMinutes(startMinute);
        return z.toInstant().isBefore(t) ? z.plusWeeks(1).toInstant() : z.toInstant();
    }

    /** The RDS and ElastiCache spelling, {@code sun:02:00-sun:04:00}. */
    @Override
    public String toString() {
        return DAYS.get(startDay.getValue() - 1) + ":" + hhmm(startMinute) + "-" + DAYS.get(endDay.getValue() - 1)
                + ":" + hhmm(endMinute);
    }

    /**
     * ElastiCache's daily snapshot window, {@code HH:MM-HH:MM}: the hour that ends when this
     * window starts. AWS refuses a snapshot window that overlaps the maintenance window; a window
     * of at most 23 hours never reaches back into the hour before its start.
     */
    public String snapshotWindow() {
        int from = Math.floorMod(startMinute - 60, 24 * 60);
        return hhmm(from) + "-" + hhmm(startMinute);
    }

    /** The start time of day, {@code HH:MM}. */
    public String startTime() {
        return hhmm(startMinute);
    }

    public int startHour() {
        return startMinute / 60;
    }

    public int startMinuteOfHour() {
        return startMinute % 60;
    }

    private static String hhmm(int minuteOfDay) {
        return String.format(Locale.ROOT, "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60);
    }
}
