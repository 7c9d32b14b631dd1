package io.terrace.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The outcome of reading one spec file as YAML: a mapping with positions, or why it is not one. */
public sealed interface YamlDocument {

    /** A top-level mapping converted to JSON, with the position of every node. */
    record Tree(ObjectNode root, SourceMap positions) implements YamlDocument {}

    /** The file could not be read as a single YAML mapping. */
    record Rejected(List<Diagnostic> diagnostics) implements YamlDocument {
        public Rejected {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
