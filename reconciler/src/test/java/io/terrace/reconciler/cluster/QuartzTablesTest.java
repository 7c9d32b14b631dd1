package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class QuartzTablesTest {

    @Test
    void readsTheScriptTheQuartzJarShips() {
        List<String> statements = QuartzTables.statements();
        List<String> tables = statements.stream()
                .filter(s -> s.startsWith("CREATE TABLE"))
                .map(s -> s.split("\\s+")[2])
                .sorted()
                .toList();
        assertEquals(List.of("QRTZ_BLOB_TRIGGERS", "QRTZ_CALENDARS", "QRTZ_CRON_TRIGGERS", "QRTZ_FIRED_TRIGGERS",
                "QRTZ_JOB_DETAILS", "QRTZ_LOCKS", "QRTZ_PAUSED_TRIGGER_GRPS", "QRTZ_SCHEDULER_STATE",
                "QRTZ_SIMPLE_TRIGGERS", "QRTZ_SIMPROP_TRIGGERS", "QRTZ_TRIGGERS"), tables);
    }

    @Test
    void neverDropsATableNorCommitsOnItsOwn() {
        for (String s : QuartzTables.statements()) {
            String upper = s.toUpperCase(Locale.ROOT);
            assertTrue(upper.startsWith("CREATE TABLE") || upper.startsWith("CREATE INDEX"), s);
        }
    }

    @Test
    void splitsStatementsAtSemicolonsEndingALineAndDropsComments() {
        assertEquals(List.of("CREATE TABLE a (x INT,\n  y VARCHAR(10) DEFAULT 'a;b')", "CREATE INDEX a_x ON a (x)"),
                QuartzTables.split("""
                        -- the runs
                        CREATE TABLE a (x INT,
                          y VARCHAR(10) DEFAULT 'a;b');

                        CREATE INDEX a_x ON a (x);
                        """));
    }
}
