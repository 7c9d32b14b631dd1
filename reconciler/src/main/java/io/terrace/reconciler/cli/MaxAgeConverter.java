package io.terrace.reconciler.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads {@code --origin-secret-max-age}: a duration as {@link DurationConverter} reads it
 * ({@code 30d}, {@code 12h}, {@code P30D}), or {@code 0} / {@code off} to turn the rotation off
 * (read as zero).
 */
final class MaxAgeConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.matches("0+")) {
            return Duration.ZERO;
        }
        try {
            return DurationConverter.parse(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a maximum age: write a duration like 30d or 12h, or off");
        }
    }
}
