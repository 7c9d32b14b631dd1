package io.terrace.schema;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;

/**
 * The spec loader fuzzed in every build (jqwik): arbitrary bytes and mutated example specs
 * ({@link SpecMutations}) in, only diagnostics out ({@link FuzzOracle}). A few hundred inputs
 * here; {@code scripts/fuzz} runs the same mutations for minutes.
 */
class SpecLoaderFuzzProperties {

    private static final SpecMutations MUTATIONS = SpecMutations.ofExamples();

    @Property(tries = 400, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void arbitraryBytesGiveOnlyDiagnostics(@ForAll("bytes") byte[] input) {
        Assertions.assertEquals(Optional.empty(), FuzzOracle.problem(input));
    }

    @Property(tries = 400, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void mutatedExamplesGiveOnlyDiagnostics(@ForAll("mutated") byte[] input) {
        Assertions.assertEquals(Optional.empty(), FuzzOracle.problem(input),
                () -> new String(input, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Arbitraries.randomValue(MUTATIONS::next);
    }
}
