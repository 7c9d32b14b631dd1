/**
 * The spec model of Terrace and how a spec file becomes one.
 *
 * <p>{@link io.terrace.schema.SpecRepository} takes each {@code environments/*.yaml} file through
 * the same steps. {@link io.terrace.schema.YamlLoader} reads the bytes (size and UTF-8 checked
 * first, nesting and aliases bounded) into a Jackson tree and a {@link io.terrace.schema.SourceMap}
 * holding the line and column of every node. {@link io.terrace.schema.TierSchemas} validates the
 * tree against the JSON Schema of its tier, and the validator's messages are rewritten into
 * sentences that name the field, the rule and what is allowed. Defaults from the schema are then
 * applied and the tree is bound to an {@link io.terrace.schema.EnvironmentSpec}, on which the rules
 * JSON Schema cannot express are checked (Fargate sizes, multi-az, min &lt;= max, image pinning,
 * AWS tag keys and their {@link io.terrace.schema.SpecTagKeys} record). Last, the rules across
 * files run (unique names and CDN aliases).
 *
 * <p>Every problem is a {@link io.terrace.schema.Diagnostic} positioned like a compiler error;
 * nothing a spec author writes can make loading throw, nor make the output large: values are
 * quoted as short excerpts ({@code Excerpt}), a conflict shared by many files is one line per
 * file, and a file reports a bounded number of problems. Each file ends as a
 * {@link io.terrace.schema.SpecResult} of its own, so one bad file never stops the others.
 */
package io.terrace.schema;
