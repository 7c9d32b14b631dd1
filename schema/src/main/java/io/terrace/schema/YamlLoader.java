package io.terrace.schema;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads one spec file into a position-carrying tree, refusing hostile input with one diagnostic
 * instead of an exception: files over {@value #MAX_BYTES} bytes (checked before parsing),
 * bytes that are not UTF-8, YAML syntax errors and tab indentation, more than one document,
 * nesting deeper than {@value #MAX_DEPTH} levels, more than {@value #MAX_ALIASES} aliases, and
 * (in {@link NodeConverter}) duplicate keys, unsupported tags and alias expansion past
 * {@value NodeConverter#MAX_NODES} nodes; more than {@value #MAX_WRITTEN_NODES} keys and values are refused
 * before composing. Scalars resolve with the YAML 1.2 core schema.
 */
public final class YamlLoader {

    /** Largest spec file read: 1 MiB. A real environment file is about 1 KiB. */
    public static final int MAX_BYTES = 1 << 20;
    /** Deepest nesting of mappings and lists; spec v1 needs four levels. */
    public static final int MAX_DEPTH = 32;
    /** Most aliases in one file, so that anchors cannot expand into a "billion laughs". */
    public static final int MAX_ALIASES = 50;
    /** Most keys and values written in one file; composing is slow on huge files, so stop early. */
    public static final int MAX_WRITTEN_NODES = 20_000;

    private YamlLoader() {}

    /** Reads {@code bytes}, the content of {@code file} (a repository-relative path used in diagnostics). */
    public static YamlDocument load(String file, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return rejected(file, 0, 0, "file is " + bytes.length + " bytes; spec files may be at most "
                    + MAX_BYTES + " bytes (1 MiB)");
        }
        String text;
        try {
            text = decodeUtf8(file, bytes);
        } catch (NotUtf8 e) {
            return new YamlDocument.Rejected(List.of(e.diagnostic));
        }
        try {
            Optional<Diagnostic> structure = checkEvents(file, text);
            if (structure.isPresent()) {
                return new YamlDocument.Rejected(List.of(structure.get()));
            }
            Optional<Node> root = new Composer(settings(text), new ParserImpl(settings(text), new StreamReader(settings(text), text)))
                    .getSingleNode();
            if (root.isEmpty()) {
                return rejected(file, 0, 0, "file is empty; expected an Environment mapping "
                        + "(apiVersion, kind, name, ...)");
            }
            return NodeConverter.convert(file, root.get());
        } catch (MarkedYamlEngineException e) {
            return new YamlDocument.Rejected(List.of(syntaxError(file, e)));
        } catch (ReaderException e) {
            int[] lc = lineColumn(text, e.getPosition());
            return rejected(file, lc[0], lc[1], "character U+" + String.format("%04X", e.getCodePoint())
                    + " is not allowed in YAML");
        } catch (YamlEngineException e) {
            return rejected(file, 0, 0, "invalid YAML: " + firstLine(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            // Last line of defence: a parser bug must not take the whole repository down.
            return rejected(file, 0, 0, "cannot read YAML: " + e);
        }
    }

    /**
     * The reader's buffer holds the whole text (at most 1 MiB): with the default 1 KiB buffer,
     * scanning one long scalar copies the window read so far at every refill, quadratic in the
     * scalar's length (a second per 900 KB name).
     */
    private static LoadSettings settings(String text) {
        return LoadSettings.builder()
                .setBufferSize(text.length() + 1)
                .setLabel("spec")
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_BYTES)
                .setUseMarks(true)
                .build();
    }

    /**
     * Walks the event stream once before composing: the composer recurses per nesting level, so
     * depth is bounded here, where parsing is iterative.
     */
    private static Optional<Diagnostic> checkEvents(String file, String text) {
        ParserImpl parser = new ParserImpl(settings(text), new StreamReader(settings(text), text));
        int depth = 0;
        int aliases = 0;
        int documents = 0;
        int nodes = 0;
        // Per open collection: whether it is a mapping, and how many keys and values it has so far.
        java.util.Deque<int[]> open = new java.util.ArrayDeque<>();
        while (parser.hasNext()) {
            Event event = parser.next();
            Event.ID id = event.getEventId();
            if (id == Event.ID.Scalar || id == Event.ID.MappingStart || id == Event.ID.SequenceStart
                    || id == Event.ID.Alias) {
                int[] parent = open.peek();
                boolean key = parent != null && parent[0] == 1 && parent[1] % 2 == 0;
                if (parent != null) {
                    parent[1]++;
                }
                // The composer merges a plain << key itself, and loops forever on one that merges
                // the mapping holding it (a: &x {<<: *x}).
                if (key && event instanceof org.snakeyaml.engine.v2.events.ScalarEvent scalar && scalar.isPlain()
                        && "<<".equals(scalar.getValue())) {
                    return Optional.of(at(file, event.getStartMark(),
                            "merge key '<<' is not supported; write the keys out"));
                }
            }
            if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
                open.push(new int[] {id == Event.ID.MappingStart ? 1 : 0, 0});
            } else if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
                open.poll();
            }
            if ((id == Event.ID.Scalar || id == Event.ID.MappingStart || id == Event.ID.SequenceStart)
                    && ++nodes > MAX_WRITTEN_NODES) {
                return Optional.of(at(file, event.getStartMark(), "file holds more than " + MAX_WRITTEN_NODES
                        + " YAML keys and values; a spec has about two hundred"));
            }
            switch (event.getEventId()) {
                case DocumentStart -> {
                    documents++;
                    if (documents > 1) {
                        return Optional.of(at(file, event.getStartMark(),
                                "file holds more than one YAML document; one environment per file"));
                    }
                }
                case MappingStart, SequenceStart -> {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        return Optional.of(at(file, event.getStartMark(),
                                "nesting is deeper than " + MAX_DEPTH + " levels"));
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case Alias -> {
                    aliases++;
                    if (aliases > MAX_ALIASES) {
                        return Optional.of(at(file, event.getStartMark(),
                                "more than " + MAX_ALIASES + " aliases; spec files may use at most " + MAX_ALIASES));
                    }
                }
                default -> { }
            }
        }
        return Optional.empty();
    }

    private static Diagnostic syntaxError(String file, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
        String problem = e.getProblem() == null ? firstLine(e.getMessage()) : e.getProblem();
        if (problem.contains("\\t(TAB)") || problem.contains("\t")) {
            return at(file, mark, "tab character; indent YAML with spaces");
        }
        String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
        return at(file, mark, "invalid YAML: " + problem + context);
    }

    private static Diagnostic at(String file, Optional<Mark> mark, String message) {
        return mark.map(m -> new Diagnostic(file, m.getLine() + 1, m.getColumn() + 1, message))
                .orElseGet(() -> new Diagnostic(file, 0, 0, message));
    }

    private static YamlDocument rejected(String file, int line, int column, String message) {
        return new YamlDocument.Rejected(List.of(new Diagnostic(file, line, column, message)));
    }

    /** Strict UTF-8: a malformed byte is an error at its line and column, never a replacement character. */
    private static String decodeUtf8(String file, byte[] bytes) throws NotUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            String before = out.toString();
            int[] lc = lineColumn(before, before.length());
            throw new NotUtf8(new Diagnostic(file, lc[0], lc[1], String.format(
                    "file is not valid UTF-8 (byte 0x%02X at offset %d); save it as UTF-8",
                    bytes[in.position()] & 0xff, in.position())));
        }
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** 1-based line and column (in code points) of character index {@code index} of {@code text}. */
    static int[] lineColumn(String text, int index) {
        int end = Math.min(index, text.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, text.codePointCount(lineStart, end) + 1};
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static final class NotUtf8 extends Exception {
        final transient Diagnostic diagnostic;

        NotUtf8(Diagnostic diagnostic) {
            super(diagnostic.message(), null, false, false);
            this.diagnostic = diagnostic;
        }
    }
}
