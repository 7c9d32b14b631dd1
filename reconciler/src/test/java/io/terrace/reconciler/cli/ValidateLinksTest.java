package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.SpecRepo.standardSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code terrace validate} never follows a symbolic link, so it never prints a file outside the repository. */
class ValidateLinksTest {

    private static final String DIAGNOSTIC =
            "environments/evil.yaml: is a symbolic link; not followed (spec files must be regular files)\n";

    @TempDir
    Path tmp;

    @Test
    void aLinkToAFileOutsideIsADiagnosticAndItsTargetIsNeverPrinted() throws IOException {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("environments"));
        Files.writeString(repo.resolve("environments/acme.yaml"), standardSpec("acme", 4));
        // Content that a YAML error message would quote if the file were read.
        Path outside = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nsecret: [\n");
        Files.createSymbolicLink(repo.resolve("environments/evil.yaml"), outside);

        CliRun all = run("validate", "--repo", repo.toString());
        CliRun named = run("validate", "--repo", repo.toString(), "environments/evil.yaml");

        assertEquals(new CliRun(1, "1 of 2 environments invalid\n", DIAGNOSTIC), all);
        assertEquals(new CliRun(1, "1 of 1 environment invalid\n", DIAGNOSTIC), named);
        assertFalse((all.out() + all.err() + named.out() + named.err()).contains("root:"));
    }

    @Test
    void aPauseThatIsALinkStillPausesWithoutBeingRead() throws IOException {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("environments"));
        Files.writeString(repo.resolve("environments/acme.yaml"), standardSpec("acme", 4));
        Files.createSymbolicLink(repo.resolve("PAUSE"), Files.writeString(tmp.resolve("secret"), "top secret\n"));

        assertEquals(new CliRun(0, "1 environment valid (repository paused: PAUSE is a symbolic link (not followed); "
                + "paused)\n", ""), run("validate", "--repo", repo.toString()));
    }
}
