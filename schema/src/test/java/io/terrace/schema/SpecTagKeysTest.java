package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recorded form of a spec's tag keys reads back exactly, whatever characters the keys hold. */
class SpecTagKeysTest {

    @Test
    void keysAreSortedAndJoinedWithSlashes() {
        assertEquals("cost-centre/owner", SpecTagKeys.encode(List.of("owner", "cost-centre")));
        assertEquals("", SpecTagKeys.encode(List.of()));
    }

    @Test
    void slashesAndEqualsInsideKeysSurviveTheRoundTrip() {
        Set<String> keys = Set.of("team/owner", "a=b", "=", "/", "x==/y", "Zürich 7", "k");
        String recorded = SpecTagKeys.encode(keys);
        assertEquals("/=/==/a==b/k/team=/owner/x=====/y/Zürich 7".length(), recorded.length());
        assertEquals(keys, SpecTagKeys.decode(recorded));
    }

    @Test
    void aValueEditedOutOfShapeNamesNoKey() {
        assertEquals(Set.of(), SpecTagKeys.decode("owner/"));
        assertEquals(Set.of(), SpecTagKeys.decode("/owner"));
        assertEquals(Set.of(), SpecTagKeys.decode("a//b"));
        assertEquals(Set.of(), SpecTagKeys.decode("owner="));
        assertEquals(Set.of(), SpecTagKeys.decode(""));
    }
}
