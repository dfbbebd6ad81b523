package dev.godiag.diagnosis;

/**
 * Maps a measured value onto the 0-100 score: 25 at the info limit, 50 at the warning limit, 75 at
 * the critical limit, linear in between, 100 one more step (critical - warning) beyond; below the
 * info limit the score falls linearly to 0 at zero. Limits must increase.
 */
public final class Score {
    private Score() {
    }

    public static int of(double value, double info, double warning, double critical) {
        if (!(info < warning && warning < critical)) {
            throw new IllegalArgumentException("limits must increase: " + info + ", " + warning + ", " + critical);
        }
        if (!Double.isFinite(value) || value <= 0) {
            return 0;
        }
        double s;
        if (value < info) {
            s = 25 * value / info;
        } else if (value < warning) {
            s = 25 + 25 * (value - info) / (warning - info);
        } else if (value < critical) {
            s = 50 + 25 * (value - warning) / (critical - warning);
        } else {
            s = 75 + 25 * Math.min(1, (value - critical) / (critical - warning));
        }
        return (int) Math.round(Math.max(0, Math.min(100, s)));
    }

    /** The score, lowered to the top of {@code max}'s band when above it (a finding capped at info stays info). */
    public static int atMost(int score, Severity max) {
        int top = switch (max) {
            case OK -> 24;
            case INFO -> 49;
            case WARNING -> 74;
            case CRITICAL -> 100;
        };
        return Math.min(score, top);
    }
}
