package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Repository URLs are shown without the credentials they may carry. */
class RepositoryUrlRedactionTest {

    @Test
    void userInformationAndTokenParametersAreRemoved() {
        assertEquals("https://github.com/acme/specs.git",
                GitSource.redact("https://x-access-token:ghp_secret@github.com/acme/specs.git"));
        assertEquals("https://host/r.git?access_token=***&ref=main",
                GitSource.redact("https://host/r.git?access_token=secret&ref=main"));
        assertEquals("https://host/r.git?ref=main&private_token=***",
                GitSource.redact("https://user@host/r.git?ref=main&private_token=secret"));
        // The value runs to the next separator or space: a colon after it goes too, a secret never stays.
        assertEquals("cannot fetch main from https://host/r.git?Password=*** not authorized",
                GitSource.redact("cannot fetch main from https://u:p@host/r.git?Password=x: not authorized"));
    }

    @Test
    void urlsWithoutCredentialsAreLeftAsTheyAre() {
        for (String url : new String[] {"/srv/git/specs", "git@github.com:acme/specs.git",
                "ssh://git@host:2222/specs.git", "https://host/r.git?ref=main"}) {
            assertEquals(url.startsWith("ssh://") ? "ssh://host:2222/specs.git" : url, GitSource.redact(url));
        }
    }
}
