package io.terrace.reconciler.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an event becomes through logback: escaped key=value text, or one JSON object per line. */
class LogEncoderTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();
    private Logger log;
    private LogFormat before;

    @BeforeEach
    void appender() {
        before = LogEncoder.format();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        LogEncoder encoder = new LogEncoder();
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        log = context.getLogger("terrace.daemon");
        log.addAppender(appender);
    }

    @AfterEach
    void restore() {
        LogEncoder.use(before);
        context.stop();
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonIsOneObjectPerLineWithTheEventsFields() throws Exception {
        LogEncoder.use(LogFormat.JSON);
        log.atInfo().setMessage("reconcile").addKeyValue("env", "acme").addKeyValue("actions", 3)
                .addKeyValue("error", "line one\nline two \"quoted\"").addKeyValue("level", "spoofed").log();
        log.atWarn().setMessage("http-error").addKeyValue("path", "/a\r\nevent=forged").setCause(new IllegalStateException("boom")).log();
        log.info("a library's message {}", "with an argument");

        List<String> lines = lines();
        assertEquals(3, lines.size(), out.toString(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("INFO", first.get("level").asText());
        assertEquals("terrace.daemon", first.get("logger").asText());
        assertEquals("reconcile", first.get("message").asText());
        assertEquals("acme", first.get("env").asText());
        assertEquals(3, first.get("actions").asInt());
        assertTrue(first.get("actions").isNumber());
        assertEquals("line one\nline two \"quoted\"", first.get("error").asText());
        assertEquals("spoofed", first.get("kv_level").asText(), "a pair cannot overwrite a field");
        assertTrue(first.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                first.get("timestamp").asText());
        JsonNode second = json.readTree(lines.get(1));
        assertEquals("WARN", second.get("level").asText());
        assertEquals("/a\r\nevent=forged", second.get("path").asText());
        assertTrue(second.get("stack_trace").asText().startsWith("java.lang.IllegalStateException: boom"));
        JsonNode third = json.readTree(lines.get(2));
        assertEquals("a library's message with an argument", third.get("message").asText());
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            for (String key : List.of("timestamp", "level", "logger", "thread", "message")) {
                assertTrue(node.has(key), key + " in " + line);
            }
        }
    }

    @Test
    void textIsTodaysKeyValueLine() {
        LogEncoder.use(LogFormat.TEXT);
        log.atInfo().setMessage("lease").addKeyValue("region", "eu-west-1").addKeyValue("holder", "this node").log();
        log.info("Started {}", "thing");

        List<String> lines = lines();
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\S+ INFO terrace\\.daemon - "
                + "event=lease region=eu-west-1 holder=\"this node\""), lines.get(0));
        assertTrue(lines.get(1).endsWith(" INFO terrace.daemon - Started thing"), lines.get(1));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                arguments("a plain word stays bare", "acme", "acme"),
                arguments("printable Unicode stays readable", "café-環境", "café-環境"),
                arguments("empty is quoted, so the key still has a value", "", "\"\""),
                arguments("a space is quoted", "two words", "\"two words\""),
                arguments("an = is quoted, so it cannot pass for a key", "a=b", "\"a=b\""),
                arguments("quotes are escaped", "say \"hi\"", "\"say \\\"hi\\\"\""),
                arguments("a backslash is escaped, so escapes stay unambiguous", "C:\\dir", "\"C:\\\\dir\""),
                arguments("CR LF cannot start a line", "/a\r\nevent=forged", "\"/a\\r\\nevent=forged\""),
                arguments("tab", "a\tb", "\"a\\tb\""),
                arguments("ESC (terminal colours)", "\u001b[31mred", "\"\\u001b[31mred\""),
                arguments("NUL", "a\u0000b", "\"a\\u0000b\""),
                arguments("DEL", "a\u007fb", "\"a\\u007fb\""),
                arguments("NEL, a C1 line break", "a\u0085b", "\"a\\u0085b\""),
                arguments("CSI, a C1 escape", "a\u009bb", "\"a\\u009bb\""),
                arguments("line separator", "a\u2028b", "\"a\\u2028b\""),
                arguments("paragraph separator", "a\u2029b", "\"a\\u2029b\""),
                arguments("right-to-left override", "a\u202eb", "\"a\\u202eb\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void textQuotesAndEscapesWhatWouldNotSplitCleanly(String why, String value, String expected) {
        LogEncoder.use(LogFormat.TEXT);
        log.atWarn().setMessage("api-rejected").addKeyValue("path", value).addKeyValue("remote", "127.0.0.1").log();

        List<String> lines = lines();
        assertEquals(1, lines.size(), why);
        assertTrue(lines.get(0).endsWith(" - event=api-rejected path=" + expected + " remote=127.0.0.1"), why + ": " + lines.get(0));
        assertFalse(lines.get(0).chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || c == 0x202e), why + ": no control character is left in " + lines.get(0));
    }

    @Test
    void theFormatComesFromTheEnvironmentAndIsCheckedAtStart() {
        assertEquals(LogFormat.TEXT, LogFormat.fromEnvironment(Map.of()));
        assertEquals(LogFormat.JSON, LogFormat.fromEnvironment(Map.of(LogFormat.ENV, "json")));
        assertEquals(LogFormat.JSON, LogFormat.parse(" JSON "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("xml"));
        assertEquals("log format xml: use text or json", e.getMessage());
    }

    @Test
    void revisionsAreShortenedAsGitDoes() {
        assertEquals("0123456789ab", LogEncoder.revision("0123456789abcdef0123"));
        assertEquals("main", LogEncoder.revision("main"));
    }
}
