package io.terrace.reconciler.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One numbered change to the shared database schema. Migrations of a scope ({@code quartz},
 * {@code history}) are applied in version order, each once per database, and recorded in
 * {@code terrace_schema_migrations}.
 *
 * @param scope       which schema the migration belongs to
 * @param version     its number within the scope, from 1
 * @param description what it does, shown in logs
 * @param sql         statements separated by {@code ;} at the end of a line; {@code --} comments
 */
public record Migration(String scope, int version, String description, String sql) {

    public Migration {
        if (!scope.matches("[a-z][a-z0-9_-]{0,39}")) {
            throw new IllegalArgumentException("bad migration scope " + scope);
        }
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1, got " + version);
        }
    }

    /** The statements, comments and blank lines removed. */
    public List<String> statements() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /** SHA-256 of the statements, recorded to notice a migration edited after it was applied. */
    public String checksum() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String s : statements()) {
                sha.update(s.replaceAll("\\s+", " ").getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
