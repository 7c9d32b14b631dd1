package io.terrace.reconciler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Path spaced = Files.writeString(tmp.resolve("spaced"), "one\u0007bell");
        assertEquals("--api-token-file " + empty + ": the API token is empty",
                assertThrows(IllegalArgumentException.class, () -> ApiToken.load(Optional.of(empty), Map.of())).getMessage());
        assertEquals("--api-token-file " + spaced + ": the API token contains spaces or control characters",
                assertThrows(IllegalArgumentException.class, () -> ApiToken.load(Optional.of(spaced), Map.of())).getMessage());
        assertEquals("--api-token-file " + tmp.resolve("missing") + ": no such file",
                assertThrows(IllegalArgumentException.class,
                        () -> ApiToken.load(Optional.of(tmp.resolve("missing")), Map.of())).getMessage());
    }

    @Test
    void aOneWordFileIsOneTokenNamedApi() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "\n  abc123  \n\n");
        ApiToken token = ApiToken.load(Optional.of(file), Map.of()).orElseThrow();
        assertEquals(List.of("api"), token.names());
        assertEquals(Optional.of("api"), token.nameOf("abc123"));
        assertEquals(List.of("api"), ApiToken.load(Optional.empty(), Map.of(ApiToken.ENV, "x")).orElseThrow().names(),
                "TERRACE_API_TOKEN is one token named api");
    }

    @Test
    void aFileOfNamedTokensKnowsWhoEachIs() throws Exception {
        Path file = Files.writeString(tmp.resolve("tokens"), String.join("\n",
                "# who may call the API",
                "alice   aaaa-1111",
                "",
                "  # ci runs deploys",
                "ci.deploy-2: cccc:2222",
                "bob:\tbbbb#3333",
                "x " + "t".repeat(64),
                ""));
        ApiToken tokens = ApiToken.load(Optional.of(file), Map.of()).orElseThrow();

        assertEquals(List.of("alice", "ci.deploy-2", "bob", "x"), tokens.names());
        assertEquals(Optional.of("alice"), tokens.nameOf("aaaa-1111"));
        assertEquals(Optional.of("ci.deploy-2"), tokens.nameOf("cccc:2222"), "a colon inside the token is the token's");
        assertEquals(Optional.of("bob"), tokens.nameOf("bbbb#3333"));
        assertEquals(Optional.of("alice"), tokens.authorizedName("Bearer aaaa-1111"));
        assertEquals(Optional.empty(), tokens.nameOf("alice"), "a name is not a token");
        assertEquals(Optional.empty(), tokens.nameOf("aaaa-111"));
        assertEquals(Optional.empty(), tokens.authorizedName("Bearer wrong"));
        assertEquals(Optional.of("bob"), tokens.dashboardCookieName(tokens.dashboardCookie("bob")));
        assertFalse(tokens.dashboardCookie("bob").equals(tokens.dashboardCookie("alice")));
        assertEquals(Optional.empty(), tokens.dashboardCookieName("0".repeat(64)));
        assertEquals("ApiToken[hidden]", tokens.toString());
    }

    @Test
    void aNameIsOneTo63LowerCaseLettersDigitsDotsDashesOrUnderscores() {
        assertEquals(List.of("a"), ApiToken.parse("a t\n").names());
        assertEquals(List.of("0.a_b-c"), ApiToken.parse("0.a_b-c t\n").names());
        String longest = "n".repeat(63);
        assertEquals(List.of(longest), ApiToken.parse(longest + " t").names());
        for (String bad : new String[] {"n".repeat(64), "Alice", "-alice", ".alice", "_a", "al ice:", "a/b", "é"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ApiToken.parse("ok t0\n" + bad + " secret-token\n"), bad);
            assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
        }
    }

    @Test
    void eachRefusalNamesTheFileTheLineAndTheRuleButNoToken() throws Exception {
        assertRefused("alice aaaa\nbob\n", "line 2: expected NAME TOKEN or NAME: TOKEN");
        assertRefused("alice aaaa extra\n", "line 1: expected NAME TOKEN or NAME: TOKEN");
        assertRefused("# c\nalice: aaaa\n\nalice bbbb\n", "line 4: the name alice is already on line 2");
        assertRefused("alice aaaa\nbob: cccc\ncarol aaaa\n", "line 3: the same token as on line 1");
        assertRefused("alice aaaa\nAlice bbbb\n",
                "line 2: a name is 1 to 63 of a-z 0-9 . _ - starting with a letter or digit");
        assertRefused("alice aa\u0001aa\n", "line 1: the token contains control characters");
        assertRefused("# only a comment\n\n# and another\n", "no tokens: only comments and blank lines");
        assertRefused(" \n\n", "the API token is empty");
    }

    private void assertRefused(String content, String rule) throws Exception {
        Path file = Files.writeString(tmp.resolve("tokens"), content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiToken.load(Optional.of(file), Map.of()));
        assertEquals("--api-token-file " + file + ": " + rule, e.getMessage());
        assertFalse(e.getMessage().contains("aaaa") || e.getMessage().contains("bbbb"), e.getMessage());
    }

    @Test
    void aClientSendsTheTokenOfAOneWordOrOneLineFile() throws Exception {
        Path word = Files.writeString(tmp.resolve("word"), "abc123\n");
        Path line = Files.writeString(tmp.resolve("line"), "# mine\nalice: aaaa-1111\n");
        Path two = Files.writeString(tmp.resolve("two"), "alice aaaa\nbob bbbb\n");
        assertEquals(Optional.of("abc123"), ApiToken.forClient(Optional.of(word), Map.of()));
        assertEquals(Optional.of("aaaa-1111"), ApiToken.forClient(Optional.of(line), Map.of()));
        assertEquals(Optional.of("e"), ApiToken.forClient(Optional.empty(), Map.of(ApiToken.ENV, " e\n")));
        assertEquals(Optional.empty(), ApiToken.forClient(Optional.empty(), Map.of()));
        assertEquals("--api-token-file " + two + ": holds 2 tokens; a client sends one (give a file of one token)",
                assertThrows(IllegalArgumentException.class, () -> ApiToken.forClient(Optional.of(two), Map.of()))
                        .getMessage());
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
