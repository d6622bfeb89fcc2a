package dev.keel.drift.stats;

/**
 * The two-sample, two-sided Kolmogorov–Smirnov test as SciPy's {@code ks_2samp(method='auto')}
 * computes it (SciPy 1.10): the exact distribution while both samples have at most 10,000 values,
 * otherwise {@code kstwo.sf(d, round(n1 n2 / (n1 + n2)))}. Matching SciPy matters because
 * Evidently's default drift test is exactly this call, and Keel's verdicts should agree with it.
 */
public final class KolmogorovSmirnov {

    /** SciPy's MAX_AUTO_N: larger samples use the asymptotic distribution. */
    public static final int MAX_EXACT_N = 10_000;

    private KolmogorovSmirnov() {
    }

    /** Statistic and p-value of two sorted samples (ascending, no NaN). */
    public static TestResult test(double[] sortedA, double[] sortedB) {
        double d = statistic(sortedA, sortedB);
        return new TestResult(d, pValue(d, sortedA.length, sortedB.length));
    }

    /** sup |F_a − F_b| over two sorted samples, evaluated at every value of either (ties handled). */
    public static double statistic(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("KS needs two non-empty samples");
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n1 && j < n2) {
            double x = Math.min(a[i], b[j]);
            while (i < n1 && a[i] <= x) {
                i++;
            }
            while (j < n2 && b[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n1 - (double) j / n2));
        }
        // once one sample is exhausted its CDF is 1; the other's only rises toward 1 from here
        if (i < n1) {
            d = Math.max(d, Math.abs((double) i / n1 - 1.0));
        } else if (j < n2) {
            d = Math.max(d, Math.abs(1.0 - (double) j / n2));
        }
        return d;
    }

    /** SciPy's p-value of statistic {@code d} for sample sizes n1 and n2 (two-sided, method 'auto'). */
    public static double pValue(double d, long n1, long n2) {
        if (Math.max(n1, n2) <= MAX_EXACT_N) {
            double exact = exactPValue(d, (int) n1, (int) n2);
            if (!Double.isNaN(exact)) {
                return clip(exact);
            }
        }
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        return clip(KolmogorovDistribution.sf(Math.rint(en), d));
    }

    /** SciPy's {@code _attempt_exact_2kssamp} for the two-sided case; NaN where it gives up. */
    static double exactPValue(double d, int n1, int n2) {
        long g = gcd(n1, n2);
        long lcm = (n1 / g) * (long) n2;
        long h = Math.round(d * lcm);
        if (h == 0) {
            return 1.0;
        }
        double prob = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
        if (!(prob >= 0 && prob <= 1)) {
            return Double.NaN;
        }
        return prob;
    }

    /** Pr(D_{n,n} ≥ h/n), summed Horner-style to avoid cancellation (SciPy's formulation). */
    static double probOutsideSquare(long n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm,
     * by Hodges' inside method with Viehmann's 1−p recursion (as SciPy's pythran kernel).
     */
    static double outerProbInsideMethod(long m, long n, long g, long h) {
        if (m < n) {
            long t = m;
            m = n;
            n = t;
        }
        long mg = m / g;
        long ng = n / g;
        long minj = 0;
        long maxj = Math.min(ceilDiv(h, mg), n + 1);
        long curlen = maxj - minj;
        int lenA = (int) Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[lenA];
        java.util.Arrays.fill(a, 1.0);
        for (int x = (int) minj; x < maxj; x++) {
            a[x] = 0.0;
        }
        for (long i = 1; i <= m; i++) {
            long lastminj = minj;
            long lastlen = curlen;
            minj = Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
            minj = Math.min(minj, n);
            maxj = Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++) {
                long j = jj + minj;
                val = (a[(int) (jj + minj - lastminj)] * i + val * j) / (i + j);
                a[(int) jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                for (long x = maxj - minj; x < maxj - minj + (lastlen - curlen); x++) {
                    a[(int) x] = 1.0;
                }
            }
        }
        return a[(int) (maxj - minj - 1)];
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double clip(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }
}
