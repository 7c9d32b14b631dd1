package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.invalid;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cli.TerraceCli;
import io.terrace.reconciler.http.ApiToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code terrace status --daemon}: what a running daemon says, one line per environment, behind its token. */
class StatusCommandTest {

    private static final String TOKEN = "status-token-0123456789";

    @TempDir
    Path tmp;
    DaemonFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void printsSyncAndHealthPerEnvironmentWithTheToken() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.write(path("broken"), invalid("broken"));
        f.origin.commit("two environments");
        f.apiToken = Optional.of(ApiToken.of(TOKEN));
        f.start();
        Path tokenFile = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        String url = "http://127.0.0.1:" + f.http.port() + "/";

        String[] run = run("status", "--daemon", url, "--api-token-file", tokenFile.toString());
        assertEquals("0", run[0], run[2]);
        assertEquals("""
                acme    synced       healthy
                broken  invalid      unknown      not observed: the spec is invalid
                """, run[1]);

        String[] one = run("status", "--daemon", url, "--api-token-file", tokenFile.toString(), "--env", "acme");
        assertEquals("acme  synced       healthy\n", one[1], "columns fit the names shown");

        String[] refused = run("status", "--daemon", url);
        assertEquals("1", refused[0]);
        assertTrue(refused[2].contains("answered HTTP 401 (give the API token: --api-token-file or TERRACE_API_TOKEN)"),
                refused[2]);
        String[] unknown = run("status", "--daemon", url, "--api-token-file", tokenFile.toString(), "--env", "nope");
        assertEquals("1", unknown[0]);
        assertTrue(unknown[2].contains("no environment named nope"), unknown[2]);
    }

    /** Exit code, standard output, standard error. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = TerraceCli.run(args);
            return new String[] {String.valueOf(exit), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
