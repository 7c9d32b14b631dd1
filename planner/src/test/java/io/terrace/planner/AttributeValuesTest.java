package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.schema.EnvironmentSpec.Range;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttributeValuesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("Integer equals Long", 512, 512L, true),
                Arguments.of("Integer equals integral Double", 2, 2.0, true),
                Arguments.of("BigDecimal with zeros equals Long", 3, new BigDecimal("3.00"), true),
                Arguments.of("different numbers differ", 2, 3L, false),
                Arguments.of("count inside the range", new Range(2, 20), 7L, true),
                Arguments.of("count at the range's edge", new Range(2, 20), 20, true),
                Arguments.of("count above the range", new Range(2, 20), 40L, false),
                Arguments.of("count below the range", new Range(2, 20), 1L, false),
                Arguments.of("fractional count is not in range", new Range(2, 20), 2.5, false),
                Arguments.of("missing count is not in range", new Range(2, 20), null, false),
                Arguments.of("lists compare element by element", List.of(1, 2), List.of(1L, 2L), true),
                Arguments.of("list order matters", List.of("a", "b"), List.of("b", "a"), false),
                Arguments.of("maps compare by value", Map.of("ttl", 300), Map.of("ttl", 300L), true),
                Arguments.of("string is not a number", "1", 1L, false),
                Arguments.of("missing is not false", false, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void satisfies(String reason, Object desired, Object observed, boolean expected) {
        assertEquals(expected, AttributeValues.satisfies(desired, observed), reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("displays")
    void display(String reason, Object value, String expected) {
        assertEquals(expected, AttributeValues.display(value), reason);
    }

    static Stream<Arguments> displays() {
        return Stream.of(
                Arguments.of("strings are quoted", "a\"b", "\"a\\\"b\""),
                Arguments.of("numbers are bare", 40L, "40"),
                Arguments.of("integral doubles print as integers", 2.0, "2"),
                Arguments.of("ranges print as min..max", new Range(2, 20), "2..20"),
                Arguments.of("absent is null", null, "null"),
                Arguments.of("lists", List.of("a", 1), "[\"a\", 1]"),
                Arguments.of("maps sorted by key", Map.of("b", 1, "a", true), "{a: true, b: 1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void targetClampsIntoTheRange(String reason, Object observed, Object expected) {
        assertEquals(expected, AttributeValues.target(new Range(2, 20), observed), reason);
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("above the range: the maximum", 40L, 20),
                Arguments.of("below the range: the minimum", 0L, 2),
                Arguments.of("missing: the minimum", null, 2));
    }
}
