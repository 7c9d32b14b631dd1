package io.terrace.reconciler.cli;

import io.terrace.reconciler.history.HistoryRetention;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads {@code --history-retention}: a duration as {@link DurationConverter} reads it
 * ({@code 30d}, {@code 12h}, {@code P90D}), or {@code forever} to keep every entry.
 */
final class HistoryRetentionConverter implements CommandLine.ITypeConverter<HistoryRetention> {

    @Override
    public HistoryRetention convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("forever")) {
            return HistoryRetention.FOREVER;
        }
        if (v.matches("0+")) {
            // What other tools spell "no limit"; here a zero would read as "keep nothing".
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a retention: write forever to keep every entry, or a duration like 30d");
        }
        try {
            return HistoryRetention.of(DurationConverter.parse(value));
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a retention: write a duration like 30d or 12h, or forever");
        }
    }
}
