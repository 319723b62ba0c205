package io.mixspark.stream;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.streaming.Trigger;

/**
 * When micro-batches run: {@code available-now} (what is there, in as many batches as
 * {@code --max-files-per-trigger} makes, then stop), {@code once} (what is there, in one batch,
 * then stop) or an interval ({@code 30s}, {@code 5m}, {@code 500ms}, {@code 1h}: a batch of what
 * has arrived every interval, until stopped).
 *
 * @param ends whether the query stops by itself once the files there are processed
 */
public record StreamTrigger(String spelling, Trigger trigger, boolean ends) {

    private static final Pattern INTERVAL = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /** @throws IllegalArgumentException for any other spelling */
    public static StreamTrigger parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("available-now")) {
            return new StreamTrigger(t, Trigger.AvailableNow(), true);
        }
        if (t.equals("once")) {
            @SuppressWarnings("deprecation")
            Trigger once = Trigger.Once();
            return new StreamTrigger(t, once, true);
        }
        Matcher m = INTERVAL.matcher(t);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            TimeUnit unit = switch (m.group(2)) {
                case "ms" -> TimeUnit.MILLISECONDS;
                case "s" -> TimeUnit.SECONDS;
                case "m" -> TimeUnit.MINUTES;
                default -> TimeUnit.HOURS;
            };
            if (amount < 1) {
                throw new IllegalArgumentException("--trigger interval must be above 0, got '" + text + "'");
            }
            return new StreamTrigger(t, Trigger.ProcessingTime(amount, unit), false);
        }
        throw new IllegalArgumentException("--trigger must be available-now, once or an interval such as 30s, 5m,"
                + " 500ms or 1h; got '" + text + "'");
    }
}
