package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class DaemonCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "30s,     PT30S",
        "5m,      PT5M",
        "1h,      PT1H",
        "1h30m,   PT1H30M",
        "500ms,   PT0.5S",
        "PT45S,   PT45S",
        "2d,      PT48H",
    })
    void readsDurationsAsPeopleWriteThem(String text, String iso) {
        assertEquals(Duration.parse(iso), DurationConverter.parse(text));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource({"5x", "m5", "30", "0s", "1h 30m", "''"})
    void refusesWhatIsNotADuration(String text) {
        var e = assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse(text));
        assertTrue(e.getMessage().contains("write it like 30s"), e.getMessage());
    }

    @Test
    void anSshRemoteNeedsItsKnownHostsFileBeforeItStarts(@TempDir Path tmp) {
        Path missing = tmp.resolve("known_hosts");
        Result r = run("daemon", "--repo", "git@github.com:acme/specs.git", "--ssh-known-hosts", missing.toString());
        assertEquals(TerraceCli.ERROR, r.code);
        assertEquals("terrace daemon: known_hosts file " + missing + " does not exist: write the server's host key "
                + "there first, e.g. ssh-keyscan HOST >> " + missing
                + " (--ssh-known-hosts, TERRACE_SSH_KNOWN_HOSTS; docs/operations.md)", r.err.strip());
    }

    @Test
    void anSshKeyThatIsNotThereStopsTheStart(@TempDir Path tmp) throws Exception {
        Path knownHosts = java.nio.file.Files.writeString(tmp.resolve("known_hosts"), "");
        Result r = run("daemon", "--repo", "ssh://git@github.com/acme/specs.git", "--ssh-known-hosts", knownHosts.toString(),
                "--ssh-key", tmp.resolve("deploy_key").toString());
        assertEquals(TerraceCli.ERROR, r.code);
        assertEquals("terrace daemon: ssh key " + tmp.resolve("deploy_key")
                + " (--ssh-key, TERRACE_SSH_KEY_FILE) does not exist or cannot be read", r.err.strip());
    }

    @Test
    void refusesAMissingLocalRepository() {
        Result r = run("daemon", "--repo", "/nowhere/specs");
        assertEquals(TerraceCli.ERROR, r.code);
        assertEquals("terrace daemon: --repo /nowhere/specs: no such directory", r.err.strip());
    }

    @Test
    void badPollIntervalIsOneClearLine() {
        Result r = run("daemon", "--repo", ".", "--poll", "soon");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("Invalid value for option '--poll': 'soon' is not a duration"), r.err);
    }

    @Test
    void aNotifyTargetThatIsNotAUrlIsRefusedWithoutEchoingIt() {
        Result r = run("daemon", "--repo", ".", "--notify", "hooks.slack.example/T000/B000/secret");
        assertEquals(TerraceCli.ERROR, r.code);
        assertEquals("terrace daemon: --notify (TERRACE_NOTIFY_URL) must be an http:// or https:// URL", r.err.strip());
    }

    @Test
    void aLeaseTtlTooShortToRenewIsOneClearLine() {
        Result r = run("daemon", "--repo", ".", "--lease-ttl", "2s");
        assertEquals(TerraceCli.ERROR, r.code);
        assertEquals("terrace daemon: --lease-ttl must be at least 3s", r.err.strip());
    }

    @Test
    void refusesAClusterUrlThatIsNotPostgres() {
        Result r = run("daemon", "--repo", ".", "--cluster", "jdbc:mysql://alice:hunter2@db/terrace");
        assertEquals(TerraceCli.ERROR, r.code);
        assertTrue(r.err.startsWith("terrace daemon: --cluster must be a jdbc:postgresql://HOST[:PORT]/DB URL"), r.err);
        assertFalse(r.err.contains("hunter2"), r.err);
    }

    @Test
    void anUnreachableClusterDatabaseIsOneLineWithoutThePassword(@TempDir Path data) {
        Result r = run("daemon", "--repo", ".", "--data", data.toString(),
                "--cluster", "jdbc:postgresql://alice:hunter2@127.0.0.1:1/terrace");
        assertEquals(TerraceCli.ERROR, r.code);
        assertTrue(r.err.startsWith("terrace daemon: cannot connect to the cluster database "
                + "jdbc:postgresql://127.0.0.1:1/terrace: "), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(r.err.contains("hunter2"), r.err);
    }

    private record Result(int code, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        CommandLine cli = new CommandLine(new TerraceCli());
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
