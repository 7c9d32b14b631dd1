package io.terrace.reconciler.http.view;

import java.time.Duration;
import java.time.Instant;

/**
 * A time as the pages show it: relative ("3 min ago"), with the exact UTC time on hover; the
 * page's script keeps the relative text current from {@code iso}.
 */
public record Moment(String iso, String relative) {

    public static Moment of(Instant at, Instant now) {
        return new Moment(at.toString(), relative(Duration.between(at, now)));
    }

    static String relative(Duration d) {
        long s = d.getSeconds();
        if (s < 0) {
            return "in " + span(-s);
        }
        return s < 5 ? "just now" : span(s) + " ago";
    }

    private static String span(long s) {
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " d";
    }
}
