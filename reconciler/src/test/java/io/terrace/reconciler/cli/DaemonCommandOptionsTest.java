package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.history.HistoryRetention;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code terrace daemon --history-retention} and {@code --api-token-file}, as an operator writes them. */
class DaemonCommandOptionsTest {

    private final HistoryRetentionConverter retention = new HistoryRetentionConverter();

    @Test
    void readsRetentionAsADurationOrForever() {
        assertEquals(HistoryRetention.of(Duration.ofDays(30)), retention.convert("30d"));
        assertEquals(HistoryRetention.of(Duration.ofHours(36)), retention.convert("1d12h"));
        assertEquals(HistoryRetention.of(Duration.ofDays(90)), retention.convert("P90D"));
        assertEquals(HistoryRetention.FOREVER, retention.convert("forever"));
        assertEquals(HistoryRetention.FOREVER, retention.convert("Forever"));
    }

    @Test
    void zeroIsRefusedWithTheSpellingThatKeepsEverything() {
        var e = assertThrows(CommandLine.TypeConversionException.class, () -> retention.convert("0"));
        assertEquals("'0' is not a retention: write forever to keep every entry, or a duration like 30d", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "a month", "0s", "-1d"})
    void refusesWhatIsNotARetention(String text) {
        var e = assertThrows(CommandLine.TypeConversionException.class, () -> retention.convert(text));
        assertTrue(e.getMessage().contains("is not a retention"), e.getMessage());
    }

    @Test
    void badRetentionIsOneClearLine() {
        String err = run("daemon", "--repo", ".", "--history-retention", "0");
        assertEquals("Invalid value for option '--history-retention': '0' is not a retention: write forever to keep "
                + "every entry, or a duration like 30d", err.lines().findFirst().orElse(""));
    }

    @Test
    void anUnreadableTokenFileStopsTheStartWithOneLine(@TempDir Path tmp) throws Exception {
        Path empty = Files.writeString(tmp.resolve("token"), "\n");
        assertEquals("terrace daemon: --api-token-file " + tmp.resolve("nope") + ": no such file\n",
                run("daemon", "--repo", ".", "--data", tmp.toString(), "--api-token-file", tmp.resolve("nope").toString()));
        assertEquals("terrace daemon: --api-token-file " + empty + ": the API token is empty\n",
                run("daemon", "--repo", ".", "--data", tmp.toString(), "--api-token-file", empty.toString()));
        Path twice = Files.writeString(tmp.resolve("tokens"), "# operators\nalice: aaaa-1111\nbob bbbb-2222\nalice cccc-3333\n");
        assertEquals("terrace daemon: --api-token-file " + twice + ": line 4: the name alice is already on line 2\n",
                run("daemon", "--repo", ".", "--data", tmp.toString(), "--api-token-file", twice.toString()));
        assertFalse(Files.exists(tmp.resolve("history")), "refused before anything started");
    }

    @Test
    void readsTheOriginSecretMaxAgeAsADurationOrOff() {
        MaxAgeConverter maxAge = new MaxAgeConverter();
        assertEquals(Duration.ofDays(30), maxAge.convert("30d"));
        assertEquals(Duration.ofHours(12), maxAge.convert("12h"));
        assertEquals(Duration.ofDays(7), maxAge.convert("P7D"));
        assertEquals(Duration.ZERO, maxAge.convert("off"), "off: never rotate");
        assertEquals(Duration.ZERO, maxAge.convert("0"), "0: never rotate");
        var e = assertThrows(CommandLine.TypeConversionException.class, () -> maxAge.convert("a month"));
        assertEquals("'a month' is not a maximum age: write a duration like 30d or 12h, or off", e.getMessage());
        String err = run("daemon", "--repo", ".", "--origin-secret-max-age", "soon");
        assertEquals("Invalid value for option '--origin-secret-max-age': 'soon' is not a maximum age: write a duration "
                + "like 30d or 12h, or off", err.lines().findFirst().orElse(""));
        String help = new CommandLine(new TerraceCli()).getSubcommands().get("daemon").getUsageMessage();
        assertTrue(help.contains("--origin-secret-max-age=DURATION|off"), help);
    }

    @Test
    void helpShowsTheNewOptions() {
        String help = new CommandLine(new TerraceCli()).getSubcommands().get("daemon").getUsageMessage();
        assertTrue(help.contains("--history-retention=DURATION|forever"), help);
        assertTrue(help.contains("(default: 30d)"), help);
        assertTrue(help.contains("--api-token-file=FILE"), help);
        assertTrue(help.contains("lines NAME") && help.contains("the token that asked"), help);
        assertTrue(help.contains("TERRACE_API_TOKEN"), help);
    }

    @Test
    void anUnknownLogFormatIsOneClearLine(@TempDir Path tmp) {
        String err = run("daemon", "--repo", ".", "--data", tmp.toString(), "--log-format", "xml");
        assertEquals("log format xml: use text or json", err.lines().findFirst().orElse(""));
        assertFalse(Files.exists(tmp.resolve("history")), "refused before anything started");
    }

    @Test
    void helpNamesTheLogFormatsAndTheirVariable() {
        String help = new CommandLine(new TerraceCli()).getSubcommands().get("daemon").getUsageMessage();
        assertTrue(help.contains("--log-format=text|json"), help);
        assertTrue(help.contains("TERRACE_LOG_FORMAT"), help);
    }

    /** Runs the CLI; returns what it wrote to standard error. */
    static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new TerraceCli());
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.execute(args);
        return err.toString(StandardCharsets.UTF_8);
    }
}
