package io.terrace.planner;

import io.terrace.schema.EnvironmentSpec.Range;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How attribute values compare and print. Desired values come from Java ({@code Integer}),
 * observed ones from drivers or JSON ({@code Long}, sometimes {@code Double}), so numbers are
 * compared by value, never by boxed type. A desired {@link Range} matches any live count inside
 * it.
 */
public final class AttributeValues {

    private AttributeValues() {}

    /** True when the live value satisfies the desired one. */
    public static boolean satisfies(Object desired, Object observed) {
        if (desired instanceof Range range) {
            return observed instanceof Number n && isIntegral(n) && range.contains(clampToInt(n.longValue()));
        }
        return Objects.equals(normalise(desired), normalise(observed));
    }

    /**
     * The value the plan sets when {@code observed} does not satisfy {@code desired}: the desired
     * value itself, except for a range, where a live count is clamped into the range (an autoscaler
     * keeps moving it afterwards) and a missing one starts at the minimum.
     */
    public static Object target(Object desired, Object observed) {
        if (desired instanceof Range range) {
            if (observed instanceof Number n) {
                long v = n.longValue();
                return (int) Math.max(range.min(), Math.min(range.max(), v));
            }
            return range.min();
        }
        return desired;
    }

    /**
     * A canonical form: integral numbers become {@code Long}, other numbers {@code Double} (or
     * {@code BigDecimal} when too large), lists and maps are normalised element by element and
     * maps sorted by key.
     */
    public static Object normalise(Object value) {
        if (value instanceof Number n) {
            return normaliseNumber(n);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(normalise(o));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), normalise(e.getValue()));
            }
            return out;
        }
        return value;
    }

    /**
     * The value as it appears in text and Markdown plans: strings quoted as in JSON, numbers and
     * booleans bare, a range as {@code min..max}, an absent value as {@code null}, a
     * {@link LiveRef} as {@code (known after apply)}.
     */
    public static String display(Object value) {
        StringBuilder sb = new StringBuilder();
        display(value, sb);
        return sb.toString();
    }

    private static void display(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof LiveRef) {
            sb.append(LiveRef.KNOWN_AFTER_APPLY);
        } else if (value instanceof String s) {
            quote(s, sb);
        } else if (value instanceof Number n) {
            sb.append(normaliseNumber(n));
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (Iterator<?> it = list.iterator(); it.hasNext();) {
                display(it.next(), sb);
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            sb.append(']');
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            var sorted = new TreeMap<String, Object>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            for (Iterator<Map.Entry<String, Object>> it = sorted.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                sb.append(e.getKey()).append(": ");
                display(e.getValue(), sb);
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            sb.append('}');
        } else {
            sb.append(value);
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static Object normaliseNumber(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : new BigDecimal(b);
        }
        if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        try {
            return d.longValueExact();
        } catch (ArithmeticException notIntegralOrTooBig) {
            double asDouble = d.doubleValue();
            return new BigDecimal(Double.toString(asDouble)).compareTo(d) == 0 ? (Object) asDouble : d.stripTrailingZeros();
        }
    }

    private static boolean isIntegral(Number n) {
        return normaliseNumber(n) instanceof Long;
    }

    private static int clampToInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
