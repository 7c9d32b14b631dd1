package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .terrace/env} file {@code bin/quickstart} writes (through {@code scripts/aws-env.sh}):
 * sourced in a fresh shell, it sets the four variables that send every AWS client to the quick
 * start's moto, whatever characters the values hold.
 */
class QuickstartEnvTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "aws-env.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static String bash(Map<String, String> env, String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", script, "bash"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void sourcingTheFileSendsAwsClientsToMoto() throws Exception {
        Path file = dir.resolve(".terrace/env");
        bash(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "it's a \"secret\" $HOME",
                        "AWS_REGION", "eu-west-1"),
                ". \"$1\"; write_aws_env \"$2\" http://127.0.0.1:41234", SCRIPT.toString(), file.toString());

        String content = Files.readString(file);
        assertTrue(content.lines().anyMatch(l -> l.startsWith("export AWS_ENDPOINT_URL=http://127.0.0.1:41234 "
                + "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=")), content);
        String seen = bash(Map.of(), ". \"$1\"; printf '%s\\n' \"$AWS_ENDPOINT_URL\" \"$AWS_ACCESS_KEY_ID\" "
                + "\"$AWS_SECRET_ACCESS_KEY\" \"$AWS_REGION\"; env | grep -c '^AWS_'", file.toString());
        assertEquals(List.of("http://127.0.0.1:41234", "testing", "it's a \"secret\" $HOME", "eu-west-1", "4"),
                seen.lines().toList());
    }

    @Test
    void onlyItsOwnerReadsIt() throws Exception {
        Path file = dir.resolve("env");
        bash(Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b", "AWS_REGION", "us-east-1"),
                ". \"$1\"; write_aws_env \"$2\" http://127.0.0.1:1", SCRIPT.toString(), file.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(file), listed(dir), "no temporary file left behind");
    }

    private static List<Path> listed(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
