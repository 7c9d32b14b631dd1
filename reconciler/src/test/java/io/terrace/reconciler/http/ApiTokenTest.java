package io.terrace.reconciler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the API token comes from, and what it says about itself (nothing). */
class ApiTokenTest {

    @TempDir
    Path tmp;

    @Test
    void aTokenFileMayEndWithANewline() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "abc123\n");
        ApiToken token = ApiToken.load(Optional.of(file), Map.of()).orElseThrow();
        assertTrue(token.matches("abc123"));
        assertFalse(token.matches("abc123\n"));
        assertFalse(token.matches("abc12"));
    }

    @Test
    void theFileWinsOverTheEnvironmentAndTheEnvironmentServesWithoutIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "from-file");
        Map<String, String> env = Map.of(ApiToken.ENV, "from-env");
        assertTrue(ApiToken.load(Optional.of(file), env).orElseThrow().matches("from-file"));
        assertTrue(ApiToken.load(Optional.empty(), env).orElseThrow().matches("from-env"));
        assertEquals(Optional.empty(), ApiToken.load(Optional.empty(), Map.of(ApiToken.ENV, "")), "empty is unset");
        assertEquals(Optional.empty(), ApiToken.load(Optional.empty(), Map.of()), "no token: the API is open");
    }

    @Test
    void problemsNameTheFileNeverItsContent() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        Path spaced = Files.writeString(tmp.resolve("spaced"), "two words");
        assertEquals("--api-token-file " + empty + ": the API token is empty",
                assertThrows(IllegalArgumentException.class, () -> ApiToken.load(Optional.of(empty), Map.of())).getMessage());
        assertEquals("--api-token-file " + spaced + ": the API token contains spaces or control characters",
                assertThrows(IllegalArgumentException.class, () -> ApiToken.load(Optional.of(spaced), Map.of())).getMessage());
        assertEquals("--api-token-file " + tmp.resolve("missing") + ": no such file",
                assertThrows(IllegalArgumentException.class,
                        () -> ApiToken.load(Optional.of(tmp.resolve("missing")), Map.of())).getMessage());
    }

    @Test
    void neverShowsItself() {
        ApiToken token = ApiToken.of("hunter2hunter2");
        assertEquals("ApiToken[hidden]", token.toString());
        assertFalse(token.dashboardCookie().contains("hunter2"));
        assertTrue(token.isDashboardCookie(token.dashboardCookie()));
        assertFalse(ApiToken.of("another-token").isDashboardCookie(token.dashboardCookie()),
                "a rotated token ends the browsers' sessions");
    }

    @Test
    void readsTheBearerScheme() {
        assertEquals(Optional.of("abc"), ApiToken.bearer("Bearer abc"));
        assertEquals(Optional.of("abc"), ApiToken.bearer("BEARER abc"));
        assertEquals(Optional.empty(), ApiToken.bearer("Basic abc"));
        assertEquals(Optional.empty(), ApiToken.bearer("Bearer "));
        assertEquals(Optional.empty(), ApiToken.bearer(null));
    }
}
