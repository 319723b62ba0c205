package io.mixspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn with JFreeChart and rendered to PNG on headless AWT. */
public final class ReportCharts {

    /** Size of every chart, in pixels. */
    public static final int WIDTH = 820;
    public static final int HEIGHT = 500;

    /** One colour per component, the same in every chart (Tableau 10). */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    private ReportCharts() {
    }

    public static Color colour(int component) {
        return PALETTE[Math.floorMod(component, PALETTE.length)];
    }

    /** Mean log-likelihood per row at each EM iteration. */
    public static JFreeChart logLikelihood(int[] iterations, double[] meanLogLikelihood) {
        XYSeries series = new XYSeries("mean log-likelihood per row");
        for (int i = 0; i < iterations.length; i++) {
            series.add(iterations[i], meanLogLikelihood[i]);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Log-likelihood per iteration", "EM iteration",
                "mean log-likelihood per row", new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false,
                false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, colour(0));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        plot.setRenderer(renderer);
        integerAxis((NumberAxis) plot.getDomainAxis());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return style(chart);
    }

    /**
     * BIC against k in mclust's sign (larger is better), one line per covariance model, as mclust's
     * {@code plot(BIC)} draws it. A NaN value (a cell that could not be fitted) leaves a gap in its
     * line. Each line has its own colour and marker, so the models stay apart in print too.
     *
     * @param byModel for each model, in legend order, {k values, BIC values in mclust's sign}
     */
    public static JFreeChart mclustBic(Map<String, double[][]> byModel, String chosen) {
        XYSeriesCollection data = new XYSeriesCollection();
        byModel.forEach((model, points) -> {
            XYSeries series = new XYSeries(model, true, false);
            for (int i = 0; i < points[0].length; i++) {
                series.add(points[0][i], Double.isNaN(points[1][i]) ? null : points[1][i]);
            }
            data.addSeries(series);
        });
        JFreeChart chart = ChartFactory.createXYLineChart("BIC against k", "Number of components",
                "BIC (mclust's sign: larger is better)", data, PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new TextTitle(chosen));
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, modelColour(s));
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            renderer.setSeriesShape(s, MARKERS[s % MARKERS.length]);
        }
        plot.setRenderer(renderer);
        integerAxis((NumberAxis) plot.getDomainAxis());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return style(chart);
    }

    /** Marker shapes of the BIC lines, cycled with period 5 against the colours' 10 + 4. */
    private static final Shape[] MARKERS = {new Ellipse2D.Double(-4, -4, 8, 8), new Rectangle2D.Double(-4, -4, 8, 8),
        ShapeUtils.createUpTriangle(4.5f), ShapeUtils.createDiamond(4.5f), ShapeUtils.createDownTriangle(4.5f)};

    /** Colours for more lines than components ever need: the palette, then four darker shades of it. */
    static Color modelColour(int line) {
        return line < PALETTE.length ? PALETTE[line] : PALETTE[line % PALETTE.length].darker().darker();
    }

    /**
     * Projected rows coloured by their most probable component, each component's mean (a cross)
     * and its 95% ellipse.
     *
     * @param points   projected rows, {x values, y values}; may be empty
     * @param labels   the component of each row
     * @param means    projected means, one {x, y} per component
     * @param ellipses each component's ellipse, {x values, y values}
     */
    public static JFreeChart projection(String subtitle, double[][] points, int[] labels, double[][] means,
                                        double[][][] ellipses) {
        int k = means.length;
        XYSeriesCollection rows = new XYSeriesCollection();
        XYSeriesCollection outlines = new XYSeriesCollection();
        XYSeriesCollection centres = new XYSeriesCollection();
        XYSeries[] byComponent = new XYSeries[k];
        for (int c = 0; c < k; c++) {
            byComponent[c] = new XYSeries("component " + c, false, true);
            rows.addSeries(byComponent[c]);
            XYSeries outline = new XYSeries("ellipse " + c, false, true);
            for (int i = 0; i < ellipses[c][0].length; i++) {
                outline.add(ellipses[c][0][i], ellipses[c][1][i]);
            }
            outlines.addSeries(outline);
            XYSeries centre = new XYSeries("mean " + c, false, true);
            centre.add(means[c][0], means[c][1]);
            centres.addSeries(centre);
        }
        for (int i = 0; i < labels.length; i++) {
            byComponent[labels[i]].add(points[0][i], points[1][i], false);
        }
        JFreeChart chart = ChartFactory.createScatterPlot("2-D projection with 95% covariance ellipses", "PC 1",
                "PC 2", rows, PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new TextTitle(subtitle));
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        XYLineAndShapeRenderer crosses = new XYLineAndShapeRenderer(false, true);
        for (int c = 0; c < k; c++) {
            Color colour = colour(c);
            dots.setSeriesPaint(c, translucent(colour));
            dots.setSeriesShape(c, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            lines.setSeriesPaint(c, colour.darker());
            lines.setSeriesStroke(c, new BasicStroke(2.5f));
            lines.setSeriesVisibleInLegend(c, false);
            crosses.setSeriesPaint(c, colour.darker());
            crosses.setSeriesShape(c, ShapeUtils.createDiagonalCross(6, 1.5f));
            crosses.setSeriesVisibleInLegend(c, false);
        }
        plot.setRenderer(0, dots);
        plot.setDataset(1, outlines);
        plot.setRenderer(1, lines);
        plot.setDataset(2, centres);
        plot.setRenderer(2, crosses);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return style(chart);
    }

    /** Rows assigned to each component, beside weight x rows. */
    public static JFreeChart clusterSizes(long[] assigned, double[] expected) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int c = 0; c < assigned.length; c++) {
            data.addValue(assigned[c], "rows assigned (most probable component)", Integer.toString(c));
            if (expected != null) {
                data.addValue(expected[c], "weight x rows", Integer.toString(c));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Cluster sizes", "component", "rows", data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRenderer().setSeriesPaint(0, colour(0));
        plot.getRenderer().setSeriesPaint(1, colour(1));
        return style(chart);
    }

    /** The chart as PNG bytes. */
    public static byte[] png(JFreeChart chart) {
        BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
        try {
            return ChartUtils.encodeAsPNG(image);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a chart as PNG", e);
        }
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7F7F7));
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        return chart;
    }

    private static void integerAxis(NumberAxis axis) {
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setAutoRangeIncludesZero(false);
    }

    private static Paint translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 150);
    }
}
