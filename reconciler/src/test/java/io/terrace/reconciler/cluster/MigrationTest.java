package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void splitsStatementsAtSemicolonsEndingALineAndDropsComments() {
        Migration m = new Migration("history", 1, "t", """
                -- the runs
                CREATE TABLE a (x INT,
                  y VARCHAR(10) DEFAULT 'a;b');

                CREATE INDEX a_x ON a (x);
                """);
        assertEquals(List.of("CREATE TABLE a (x INT,\n  y VARCHAR(10) DEFAULT 'a;b')", "CREATE INDEX a_x ON a (x)"),
                m.statements());
    }

    @Test
    void checksumIgnoresLayoutButNotContent() {
        Migration a = new Migration("history", 1, "t", "CREATE TABLE a (x INT);");
        Migration b = new Migration("history", 1, "t", "-- a comment\nCREATE TABLE a\n   (x INT);");
        Migration c = new Migration("history", 1, "t", "CREATE TABLE a (x BIGINT);");
        assertEquals(a.checksum(), new Migration("history", 1, "t", "CREATE  TABLE a (x INT);").checksum());
        assertNotEquals(a.checksum(), c.checksum());
        assertEquals(a.checksum(), b.checksum());
    }
}
