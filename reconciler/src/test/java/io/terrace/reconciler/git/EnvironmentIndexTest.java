package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.SpecSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

class EnvironmentIndexTest {

    private final EnvironmentIndex before = index("alpha", "bravo", "charlie");
    private final EnvironmentIndex after = index("alpha", "bravo", "delta");

    @Test
    void aChangedFileConcernsItsEnvironmentOnly() {
        var changes = after.affected(Set.of("environments/bravo.yaml"), before);
        assertEquals(Set.of("bravo"), changes.environments());
        assertFalse(changes.pauseChanged());
    }

    @Test
    void addedAndDeletedFilesConcernTheirEnvironments() {
        assertEquals(Set.of("charlie", "delta"),
                after.affected(Set.of("environments/charlie.yaml", "environments/delta.yaml"), before).environments());
    }

    @Test
    void pauseConcernsEveryEnvironmentOldAndNew() {
        var changes = after.affected(Set.of("PAUSE"), before);
        assertTrue(changes.pauseChanged());
        assertEquals(Set.of("alpha", "bravo", "charlie", "delta"), changes.environments());
    }

    @Test
    void otherFilesConcernNobody() {
        assertEquals(Set.of(), after.affected(Set.of("README.md", "docs/pause.md", "environments/notes/x.yaml"), before)
                .environments());
    }

    private static EnvironmentIndex index(String... names) {
        Map<String, ObjectId> files = new LinkedHashMap<>();
        for (String n : names) {
            files.put("environments/" + n + ".yaml", ObjectId.zeroId());
        }
        return EnvironmentIndex.of(new SpecSnapshot("c", new SpecSet(List.of(), Optional.empty()), files, Map.of()));
    }
}
