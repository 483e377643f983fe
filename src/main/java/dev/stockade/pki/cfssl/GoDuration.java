package dev.stockade.pki.cfssl;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} subset cfssl uses for expiry: {@code 8760h}, {@code 1h30m}, {@code 90s}. */
public final class GoDuration {

    private static final Pattern WHOLE = Pattern.compile("([0-9]+(\\.[0-9]+)?(h|m|s|ms|us|µs|ns))+");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(h|ms|m|s|us|µs|ns)");

    private GoDuration() {}

    public static Optional<Duration> parse(String text) {
        if (!WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        double nanos = 0;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            switch (m.group(2)) {
                case "h":
                    nanos += v * 3600e9;
                    break;
                case "m":
                    nanos += v * 60e9;
                    break;
                case "s":
                    nanos += v * 1e9;
                    break;
                case "ms":
                    nanos += v * 1e6;
                    break;
                case "us":
                case "µs":
                    nanos += v * 1e3;
                    break;
                default:
                    nanos += v;
            }
        }
        return nanos > 0 ? Optional.of(Duration.ofNanos((long) nanos)) : Optional.empty();
    }
}
