package io.terrace.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball as a registry or {@code docker load}/{@code podman load} would read it: the
 * OCI index, the manifest and config it points to, and the layers unpacked into a folder, from
 * which the jar runs on the image's own runtime.
 */
class ImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TAR = Path.of(System.getProperty("image.tar", "target/terrace-image.tar"));

    @TempDir
    static Path work;
    static Path blobs;
    static JsonNode manifest;
    static JsonNode config;
    static Path rootfs;

    @BeforeAll
    static void unpack() throws Exception {
        assertTrue(Files.isRegularFile(TAR), TAR + " is built in the package phase");
        Path image = work.resolve("image");
        Files.createDirectories(image);
        run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", image.toString()));
        blobs = image.resolve("blobs/sha256");
        JsonNode index = JSON.readTree(image.resolve("index.json").toFile());
        manifest = blob(index.get("manifests").get(0).get("digest").asText());
        config = blob(manifest.get("config").get("digest").asText());
        rootfs = work.resolve("rootfs");
        Files.createDirectories(rootfs);
        for (JsonNode layer : manifest.get("layers")) {
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.get("mediaType").asText());
            run(List.of("tar", "-xzf", path(layer.get("digest").asText()).toString(), "-C", rootfs.toString()));
        }
    }

    @Test
    void theConfigRunsTheJarOnTheImagesRuntimeAsANonRootUser() {
        JsonNode c = config.get("config");
        List<String> entrypoint = new ArrayList<>();
        c.get("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        assertEquals(List.of("/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-jar", "/app/terrace.jar"), entrypoint);
        assertEquals("65532:65532", c.get("User").asText());
        assertEquals("linux", config.get("os").asText());
        assertEquals("amd64", config.get("architecture").asText());
    }

    @Test
    void theJarRunsFromTheUnpackedLayers() throws Exception {
        String out = run(List.of(rootfs.resolve("opt/java/bin/java").toString(), "-jar",
                rootfs.resolve("app/terrace.jar").toString(), "--version"));
        assertTrue(out.matches("(?s)terrace \\d+\\.\\d+\\.\\d+.*"), out);
    }

    @Test
    void theImageHasTheCompletionTheUserAndTheCertificates() throws IOException {
        String completion = Files.readString(rootfs.resolve("usr/share/bash-completion/completions/terrace"));
        assertTrue(completion.contains("complete -F _complete_terrace"), completion.substring(0, 200));
        assertTrue(completion.contains("--log-format"), "every option of every command is completed");
        assertTrue(Files.readString(rootfs.resolve("etc/passwd")).contains("terrace:x:65532:65532:"));
        assertTrue(Files.size(rootfs.resolve("opt/java/lib/security/cacerts")) > 10_000, "a real CA store, not a link");
        assertTrue(Files.exists(rootfs.resolve("lib64/ld-linux-x86-64.so.2")), "the C library's loader");
    }

    private static Path path(String digest) {
        return blobs.resolve(digest.substring("sha256:".length()));
    }

    private static JsonNode blob(String digest) throws IOException {
        return JSON.readTree(path(digest).toFile());
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
