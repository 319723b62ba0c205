package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.report.ReportCharts;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/** The report's BIC chart draws one line per covariance model over k, in mclust's sign, as mclust's plot(BIC). */
class BicChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneLinePerModelInMclustsSignWithAGapWhereACellFailed() throws Exception {
        JsonNode selection = JSON.readTree("""
                {"criterion": "bic", "chosen": {"k": 2, "covarianceType": "full"},
                 "candidates": [
                   {"k": 1, "covarianceType": "full", "bic": 100.0, "bicMclust": -100.0},
                   {"k": 2, "covarianceType": "full", "bic": 90.0, "bicMclust": -90.0},
                   {"k": 3, "covarianceType": "full", "bic": 95.0, "bicMclust": -95.0},
                   {"k": 1, "covarianceType": "diag", "bic": 120.0},
                   {"k": 3, "covarianceType": "diag", "bic": 110.0, "bicMclust": -110.0}],
                 "failed": [{"k": 2, "covarianceType": "diag", "kind": "singular", "reason": "r"}]}""");

        Map<String, double[][]> lines = ReportCommand.bicByModel(selection);

        assertEquals(List.of("full", "diag"), new ArrayList<>(lines.keySet()));
        assertArrayEquals(new double[] {1, 2, 3}, lines.get("full")[0]);
        assertArrayEquals(new double[] {-100, -90, -95}, lines.get("full")[1]);
        assertArrayEquals(new double[] {1, 2, 3}, lines.get("diag")[0]);
        assertArrayEquals(new double[] {-120, Double.NaN, -110}, lines.get("diag")[1], "-bic where bicMclust is absent");

        XYSeriesCollection drawn = (XYSeriesCollection) ReportCharts.mclustBic(lines, "chosen").getXYPlot()
                .getDataset();
        assertEquals(2, drawn.getSeriesCount());
        assertEquals(-90.0, drawn.getSeries(0).getY(1).doubleValue(), 0.0);
        assertNull(drawn.getSeries(1).getY(1), "a failed cell is a gap, not a point");
    }

    @Test
    void fourteenModelsGetFourteenDistinctColourAndMarkerPairs() {
        Map<String, double[][]> lines = new LinkedHashMap<>();
        for (int m = 0; m < 14; m++) {
            lines.put("model" + m, new double[][] {{1, 2}, {-m, -m - 1}});
        }
        JFreeChart chart = ReportCharts.mclustBic(lines, "chosen");
        XYPlot plot = chart.getXYPlot();
        Set<Paint> colours = new HashSet<>();
        Set<String> styles = new HashSet<>();
        for (int s = 0; s < 14; s++) {
            Paint paint = plot.getRenderer().getSeriesPaint(s);
            colours.add(paint);
            styles.add(paint + "/" + outline(plot.getRenderer().getSeriesShape(s)));
        }
        assertEquals(14, colours.size(), "every model its own colour");
        assertEquals(14, styles.size());
        assertEquals(14, chart.getLegend().getSources()[0].getLegendItems().getItemCount());
        assertTrue(plot.getRangeAxis().getLabel().contains("larger is better"), plot.getRangeAxis().getLabel());
    }

    private static String outline(Shape shape) {
        StringBuilder out = new StringBuilder();
        double[] c = new double[6];
        for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
            out.append(it.currentSegment(c)).append(java.util.Arrays.toString(c));
        }
        return out.toString();
    }
}
