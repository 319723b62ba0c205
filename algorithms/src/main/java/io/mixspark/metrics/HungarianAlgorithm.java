package io.mixspark.metrics;

import java.util.Arrays;

/** Minimum-cost assignment on a rectangular cost matrix (Hungarian algorithm with potentials). */
public final class HungarianAlgorithm {

    private HungarianAlgorithm() {
    }

    /**
     * Assigns rows to distinct columns so that the total cost is minimal; every row is assigned when
     * there are at least as many columns as rows, otherwise every column is. Kuhn (1955), Munkres
     * (1957); this is the O(rows^2 cols) shortest-augmenting-path form with row and column potentials.
     *
     * @param cost a rows x cols matrix of finite values (not modified); may have zero rows
     * @return for each row, the index of its column, or -1 for a row left unassigned (only when
     *     rows &gt; cols)
     * @throws IllegalArgumentException if {@code cost} is null, ragged, or has a non-finite entry
     */
    public static int[] minimumCostAssignment(double[][] cost) {
        if (cost == null) {
            throw new IllegalArgumentException("cost matrix must not be null");
        }
        int rows = cost.length;
        int cols = rows == 0 ? 0 : checkedLength(cost[0], 0);
        for (int i = 0; i < rows; i++) {
            if (checkedLength(cost[i], i) != cols) {
                throw new IllegalArgumentException("cost matrix is ragged: row 0 has " + cols
                        + " columns but row " + i + " has " + cost[i].length);
            }
            for (int j = 0; j < cols; j++) {
                if (!Double.isFinite(cost[i][j])) {
                    throw new IllegalArgumentException(
                            "cost[" + i + "][" + j + "] is not finite: " + cost[i][j]);
                }
            }
        }
        if (rows <= cols) {
            return solve(cost, rows, cols);
        }
        int[] rowOfColumn = solve(transpose(cost, rows, cols), cols, rows);
        int[] columnOfRow = new int[rows];
        Arrays.fill(columnOfRow, -1);
        for (int j = 0; j < cols; j++) {
            columnOfRow[rowOfColumn[j]] = j;
        }
        return columnOfRow;
    }

    private static int checkedLength(double[] row, int i) {
        if (row == null) {
            throw new IllegalArgumentException("cost matrix row " + i + " is null");
        }
        return row.length;
    }

    private static double[][] transpose(double[][] a, int rows, int cols) {
        double[][] t = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /**
     * Adds the rows one at a time, each by a Dijkstra-like search for the cheapest augmenting path in
     * reduced costs a[i][j] - u[i] - v[j] (which stay non-negative on the path tree). Needs n &lt;= m.
     * Indices 1..n and 1..m are rows and columns; column 0 is a virtual column holding the row being
     * added.
     */
    private static int[] solve(double[][] a, int n, int m) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] rowOf = new int[m + 1]; // rowOf[j]: row matched to column j, 0 for none
        int[] previous = new int[m + 1]; // previous column on the augmenting path
        double[] minReduced = new double[m + 1];
        boolean[] inTree = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            rowOf[0] = i;
            int j0 = 0;
            Arrays.fill(minReduced, Double.POSITIVE_INFINITY);
            Arrays.fill(inTree, false);
            do {
                inTree[j0] = true;
                int i0 = rowOf[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!inTree[j]) {
                        double reduced = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (reduced < minReduced[j]) {
                            minReduced[j] = reduced;
                            previous[j] = j0;
                        }
                        if (minReduced[j] < delta) {
                            delta = minReduced[j];
                            j1 = j;
                        }
                    }
                }
                if (j1 == 0) { // only when reduced costs overflowed to infinity or NaN
                    throw new IllegalArgumentException("cost magnitudes too large to compare");
                }
                for (int j = 0; j <= m; j++) {
                    if (inTree[j]) {
                        u[rowOf[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minReduced[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOf[j0] != 0);
            do { // flip the matching along the path back to the virtual column
                int j1 = previous[j0];
                rowOf[j0] = rowOf[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] columnOfRow = new int[n];
        for (int j = 1; j <= m; j++) {
            if (rowOf[j] != 0) {
                columnOfRow[rowOf[j] - 1] = j - 1;
            }
        }
        return columnOfRow;
    }
}
