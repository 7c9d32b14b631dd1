package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a value becomes in a log line: one plain word stays bare, anything else is quoted and escaped. */
class LogLineTest {

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
    void quotesAndEscapesWhatWouldNotSplitCleanly(String why, String value, String expected) {
        String line = LogLine.event("api-rejected").with("path", value).with("remote", "127.0.0.1").toString();

        assertEquals("event=api-rejected path=" + expected + " remote=127.0.0.1", line, why);
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || c == 0x202e), why + ": no control character is left in " + line);
    }
}
