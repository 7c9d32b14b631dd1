package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.Tag;

/** Tags to and from an SDK's own tag type. */
class TerraceTagsTest {

    @Test
    void tagsAreSentSortedByKeySoRequestsAreStable() {
        List<Tag> sdk = TerraceTags.toSdk(Map.of("terrace:revision", "r1", "cost-centre", "web"),
                (k, v) -> Tag.builder().key(k).value(v).build());
        assertEquals(List.of("cost-centre", "terrace:revision"), sdk.stream().map(Tag::key).toList());
    }

    @Test
    void aTagWithoutValueIsReadAsEmpty() {
        List<Tag> sdk = List.of(Tag.builder().key("owner").build(), Tag.builder().key("a").value("1").build());
        assertEquals(Map.of("owner", "", "a", "1"), TerraceTags.fromSdk(sdk, Tag::key, Tag::value));
    }
}
