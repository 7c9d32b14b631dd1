package io.terrace.reconciler.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cluster} scope's own tables (change claims, shared observations), as numbered
 * scripts {@code migration/V1.sql}, {@code V2.sql}, … next to this class.
 */
public final class ClusterMigrations {

    public static final String SCOPE = "cluster";

    private ClusterMigrations() {}

    public static List<Migration> all() {
        List<Migration> out = new ArrayList<>();
        for (int version = 1; ; version++) {
            String name = "migration/V" + version + ".sql";
            try (InputStream in = ClusterMigrations.class.getResourceAsStream(name)) {
                if (in == null) {
                    return out;
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String description = sql.lines().findFirst().map(l -> l.replaceFirst("^--\\s*", "")).orElse(name);
                out.add(new Migration(SCOPE, version, description, sql));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        }
    }
}
