package io.terrace.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns a composed YAML node tree into a Jackson tree for JSON Schema validation, recording the
 * position of every key and value in a {@link SourceMap}. It is also where duplicate keys,
 * non-scalar keys, unsupported tags, recursive aliases and alias expansion past
 * {@value #MAX_NODES} nodes are refused (the composer accepts all of them).
 */
final class NodeConverter {

    /** Most JSON nodes one file may expand to; a real environment has about a hundred. */
    static final int MAX_NODES = 10_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String file;
    private final SourceMap positions = new SourceMap();
    private final List<Diagnostic> problems = new ArrayList<>();
    private final Map<Node, Boolean> ancestors = new IdentityHashMap<>();
    private int nodes;

    private NodeConverter(String file) {
        this.file = file;
    }

    static YamlDocument convert(String file, Node root) {
        NodeConverter converter = new NodeConverter(file);
        if (!(root instanceof MappingNode)) {
            Diagnostic d = converter.diagnostic(root.getStartMark(), "top level is "
                    + describe(root) + "; expected a mapping (apiVersion, kind, name, ...)");
            return new YamlDocument.Rejected(List.of(d));
        }
        try {
            JsonNode tree = converter.node(root, "");
            if (!converter.problems.isEmpty()) {
                return new YamlDocument.Rejected(converter.problems);
            }
            return new YamlDocument.Tree((ObjectNode) tree, converter.positions);
        } catch (TooLarge e) {
            return new YamlDocument.Rejected(List.of(e.diagnostic));
        }
    }

    private JsonNode node(Node node, String pointer) {
        if (++nodes > MAX_NODES) {
            throw new TooLarge(diagnostic(node.getStartMark(), "file holds more than " + MAX_NODES
                    + " YAML nodes once aliases are expanded; a spec has about a hundred"));
        }
        if (ancestors.containsKey(node)) {
            throw new TooLarge(diagnostic(node.getStartMark(), "alias refers to a node that contains it "
                    + "(a recursive structure)"));
        }
        positions.putValue(pointer, position(node.getStartMark()));
        ancestors.put(node, Boolean.TRUE);
        try {
            if (node instanceof MappingNode mapping) {
                return mapping(mapping, pointer);
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = JSON.arrayNode();
                List<Node> items = sequence.getValue();
                for (int i = 0; i < items.size(); i++) {
                    array.add(node(items.get(i), SourceMap.child(pointer, i)));
                }
                return array;
            }
            if (((ScalarNode) node).getTag().equals(Tag.FLOAT)) {
                positions.putFloat(pointer);
            }
            return scalar((ScalarNode) node);
        } finally {
            ancestors.remove(node);
        }
    }

    private ObjectNode mapping(MappingNode mapping, String pointer) {
        ObjectNode object = JSON.objectNode();
        Map<String, Mark> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || !isPlainKey(scalarKey)) {
                problems.add(diagnostic(keyNode.getStartMark(), "key " + where(pointer)
                        + " is " + describe(keyNode) + "; keys must be plain strings"));
                continue;
            }
            String key = scalarKey.getValue();
            Optional<Mark> mark = keyNode.getStartMark();
            if (seen.containsKey(key)) {
                Mark first = seen.get(key);
                problems.add(diagnostic(mark, "duplicate key " + Excerpt.quote(key) + " " + where(pointer)
                        + (first == null ? "" : "; first defined at line " + (first.getLine() + 1))));
                continue;
            }
            seen.put(key, mark.orElse(null));
            String child = SourceMap.child(pointer, key);
            positions.putKey(child, position(mark));
            object.set(key, node(tuple.getValueNode(), child));
        }
        return object;
    }

    private static boolean isPlainKey(ScalarNode key) {
        Tag tag = key.getTag();
        return tag.equals(Tag.STR) || tag.equals(Tag.INT) || tag.equals(Tag.BOOL) || tag.equals(Tag.FLOAT);
    }

    private JsonNode scalar(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        if (tag.equals(Tag.STR)) {
            return JSON.textNode(value);
        }
        if (tag.equals(Tag.NULL)) {
            return JSON.nullNode();
        }
        try {
            if (tag.equals(Tag.BOOL)) {
                return bool(value);
            }
            if (tag.equals(Tag.INT)) {
                return integer(value);
            }
            if (tag.equals(Tag.FLOAT)) {
                return floating(value);
            }
        } catch (NumberFormatException e) {
            // Only an explicit tag (!!int x, !!float abc, !!bool maybe) gets here: the resolver
            // tags plain scalars by their form.
            problems.add(diagnostic(scalar.getStartMark(), Excerpt.quote(value) + " is not a valid "
                    + tag.getValue().replace(Tag.PREFIX, "!!") + " value"));
            return JSON.textNode(value);
        } catch (ArithmeticException e) {
            problems.add(diagnostic(scalar.getStartMark(), "number " + Excerpt.quote(value) + " " + e.getMessage()));
            return JSON.textNode(value);
        }
        problems.add(diagnostic(scalar.getStartMark(), "YAML tag " + Excerpt.quote(tag.getValue()) + " is not supported"));
        return JSON.textNode(value);
    }

    private static JsonNode bool(String value) {
        return switch (value) {
            case "true", "True", "TRUE" -> JSON.booleanNode(true);
            case "false", "False", "FALSE" -> JSON.booleanNode(false);
            default -> throw new NumberFormatException(value);
        };
    }

    /** Digits a number in a spec may have, before or after its point: far more than any limit needs. */
    static final int MAX_DIGITS = 400;
    private static final String OUT_OF_RANGE = "is out of range; numbers in a spec have at most " + MAX_DIGITS
            + " digits before or after the point";

    /** Core-schema integers: decimal, 0o octal, 0x hexadecimal. */
    private static JsonNode integer(String value) {
        String digits = value.replace("_", "");
        int sign = 1;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            sign = digits.startsWith("-") ? -1 : 1;
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o")) {
            radix = 8;
            digits = digits.substring(2);
        }
        if (digits.length() > MAX_DIGITS) {
            throw new ArithmeticException(OUT_OF_RANGE);
        }
        BigInteger n = new BigInteger(digits, radix);
        n = sign < 0 ? n.negate() : n;
        return n.bitLength() < 32 ? JSON.numberNode(n.intValue())
                : n.bitLength() < 64 ? JSON.numberNode(n.longValue()) : JSON.numberNode(n);
    }

    private static JsonNode floating(String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        if (v.endsWith(".inf") || v.equals(".nan")) {
            // JSON has neither, and the validator cannot compare them with a limit.
            throw new ArithmeticException("is not a finite number");
        }
        java.math.BigDecimal d = new java.math.BigDecimal(value.replace("_", ""));
        // 1e999999999 is a short text for a billion digits, which the validator would write out.
        if (d.precision() > MAX_DIGITS || Math.abs((long) d.precision() - d.scale()) > MAX_DIGITS) {
            throw new ArithmeticException(OUT_OF_RANGE);
        }
        return JSON.numberNode(d);
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getTag().equals(Tag.NULL)) {
            return "empty (null)";
        }
        return "a scalar (" + Excerpt.quote(scalar.getValue()) + ")";
    }

    static String where(String pointer) {
        return pointer.isEmpty() ? "at the top level" : "in " + SourceMap.dotted(pointer);
    }

    private Diagnostic diagnostic(Optional<Mark> mark, String message) {
        SourceMap.Position p = position(mark);
        return new Diagnostic(file, p.line(), p.column(), message);
    }

    private static SourceMap.Position position(Optional<Mark> mark) {
        return mark.map(m -> new SourceMap.Position(m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourceMap.Position(1, 1));
    }

    private static final class TooLarge extends RuntimeException {
        final transient Diagnostic diagnostic;

        TooLarge(Diagnostic diagnostic) {
            super(diagnostic.message(), null, false, false);
            this.diagnostic = diagnostic;
        }
    }
}
