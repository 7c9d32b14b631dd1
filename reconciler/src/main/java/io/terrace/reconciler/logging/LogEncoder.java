package io.terrace.reconciler.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each logging event as one line, in the {@link LogFormat} chosen at start.
 *
 * <p>Terrace's own events are a name and SLF4J 2 key-value pairs
 * ({@code log.atInfo().setMessage("reconcile").addKeyValue("env", env).log()}). As text they read
 * {@code 2025-06-01T12:00:00.000Z INFO terrace.daemon - event=reconcile env=acme}: values with
 * spaces, quotes, {@code =}, backslashes or control characters are quoted and escaped, so a line
 * splits into key=value pairs mechanically and a value taken from a request (a path, a header)
 * can neither start a new line nor pass itself off as another key. A library's message without
 * pairs is written as it is. As JSON, every event is one object with {@code timestamp},
 * {@code level}, {@code logger}, {@code thread}, {@code message}, the pairs as fields and
 * {@code stack_trace} for a stack trace; JSON's escaping keeps it on one line.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.of("UTC"));
    private static final List<String> RESERVED = List.of("timestamp", "level", "logger", "thread", "message", "stack_trace");

    /** The format of every encoder in the process: set once at start, read on every line. */
    private static volatile LogFormat format = LogFormat.fromEnvironment(System.getenv());

    public static void use(LogFormat f) {
        format = f;
    }

    public static LogFormat format() {
        return format;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return (format == LogFormat.JSON ? json(event) : text(event)).getBytes(StandardCharsets.UTF_8);
    }

    static String text(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(160);
        out.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ");
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null || pairs.isEmpty()) {
            out.append(event.getFormattedMessage());
        } else {
            out.append("event=");
            value(out, event.getFormattedMessage());
            for (KeyValuePair p : pairs) {
                out.append(' ').append(p.key).append('=');
                value(out, String.valueOf(p.value));
            }
        }
        out.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            out.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return out.toString();
    }

    static String json(ILoggingEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("timestamp", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair p : pairs) {
                    String key = RESERVED.contains(p.key) ? "kv_" + p.key : p.key;
                    if (p.value instanceof Number n) {
                        g.writeFieldName(key);
                        g.writeNumber(n.toString());
                    } else if (p.value instanceof Boolean b) {
                        g.writeBooleanField(key, b);
                    } else {
                        g.writeStringField(key, p.value == null ? null : String.valueOf(p.value));
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8) + "\n";
    }

    /** The value as it appears in a text line: bare when it is one plain word, else quoted with escapes. */
    static void value(StringBuilder out, String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c == '\\' || unsafe(c))) {
            out.append(v);
            return;
        }
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Characters a terminal or a log viewer may act on rather than show: C0 and C1 controls
     * (CR, LF, ESC, NEL…), DEL, the Unicode line and paragraph separators, and the bidirectional
     * overrides that make text read differently from how it is stored.
     */
    private static boolean unsafe(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** A revision shortened to 12 characters, as git does in logs. */
    public static String revision(String revision) {
        return revision.length() > 12 && revision.matches("[0-9a-f]+") ? revision.substring(0, 12) : revision;
    }
}
