package io.mixspark.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    @Test
    void principalAxesOfPointsFollowTheirSpread() {
        // Points spread mostly along (1, 1, 0)/sqrt 2, less along z, hardly at all along (1, -1, 0).
        Random random = new Random(3);
        int n = 4000;
        double[] points = new double[n * 3];
        for (int i = 0; i < n; i++) {
            double a = 5 * random.nextGaussian();
            double b = 0.1 * random.nextGaussian();
            double z = 2 * random.nextGaussian();
            points[i * 3] = 10 + (a + b) / Math.sqrt(2);
            points[i * 3 + 1] = -4 + (a - b) / Math.sqrt(2);
            points[i * 3 + 2] = z;
        }
        Projection p = Projection.ofPoints(points, 3);
        double s = 1 / Math.sqrt(2);
        assertArrayEquals(new double[] {s, s, 0, 0, 0, 1}, p.axes(), 0.02);
        assertEquals(25, p.variances()[0], 1.5);
        assertEquals(4, p.variances()[1], 0.3);
        assertArrayEquals(new double[] {0, 0}, p.project(p.centre()), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(2), 3}, p.project(new double[] {
            p.centre()[0] + 1, p.centre()[1] + 1, p.centre()[2] + 3}), 0.05);
    }

    @Test
    void projectedCovarianceIsTheMarginalAndTheEllipseLiesAtTheRadius() {
        Projection p = new Projection(new double[] {0, 0, 0}, new double[] {1, 0, 0, 0, 0, 1}, new double[] {1, 1});
        double[] cov = {4, 1, 1.5, 1, 9, 2, 1.5, 2, 3};
        double[] cov2 = p.projectCovariance(cov);
        assertArrayEquals(new double[] {4, 1.5, 3}, cov2, 1e-12);

        double[] mean = {1, -2};
        double[][] ellipse = Projection.ellipse(mean, cov2, Projection.RADIUS_95, 36);
        double det = cov2[0] * cov2[2] - cov2[1] * cov2[1];
        for (int i = 0; i < ellipse[0].length; i++) {
            double dx = ellipse[0][i] - mean[0];
            double dy = ellipse[1][i] - mean[1];
            double mahalanobis2 = (cov2[2] * dx * dx - 2 * cov2[1] * dx * dy + cov2[0] * dy * dy) / det;
            assertEquals(Projection.RADIUS_95 * Projection.RADIUS_95, mahalanobis2, 1e-9);
        }
        assertEquals(ellipse[0][0], ellipse[0][36], 1e-12, "closed");
        assertEquals(5.991, Projection.RADIUS_95 * Projection.RADIUS_95, 1e-3, "chi-square(2) 95% quantile");
    }

    @Test
    void aMixtureProjectsOnItsOwnCovarianceAndOneFeatureStillGivesTwoAxes() {
        double[][] means = {{-3, 0}, {3, 0}};
        double[][] covs = {{1, 0, 0, 1}, {1, 0, 0, 1}};
        Projection p = Projection.ofMixture(new double[] {0.5, 0.5}, means, covs);
        assertArrayEquals(new double[] {10, 1}, p.variances(), 1e-9);
        assertArrayEquals(new double[] {1, 0, 0, 1}, new double[] {Math.abs(p.axes()[0]), p.axes()[1],
            p.axes()[2], Math.abs(p.axes()[3])}, 1e-9);

        Projection one = Projection.ofPoints(new double[] {1, 2, 3, 6}, 1);
        assertArrayEquals(new double[] {5, 0}, one.project(new double[] {8}), 1e-12);
    }
}
