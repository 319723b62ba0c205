# mclust's hierarchical start on the shipped datasets: the partitions at G = 2..5 of
# hc(VVV) on mclust's default transformation (hcUse = "SVD") and on the raw variables.
# Run from this folder with Debian's r-cran-mclust: Rscript make_hc_reference.R
library(mclust)
library(jsonlite)
out <- list(mclustVersion = as.character(packageVersion("mclust")),
            hcUse = mclust.options("hcUse"), hcModelName = mclust.options("hcModelName"),
            G = 2:5, cases = list())
for (name in c("iris", "wine", "breast_cancer")) {
  X <- as.matrix(read.csv(file.path("..", "..", "datasets", paste0(name, ".csv"))))
  X <- X[, colnames(X) != "label"]
  for (use in c("SVD", "VARS")) {
    tree <- hc(X, modelName = "VVV", use = use)
    cl <- hclass(tree, 2:5)
    out$cases[[paste(name, use, sep = "_")]] <- lapply(1:4, function(i) as.integer(cl[, i]))
  }
}
writeLines(toJSON(out, auto_unbox = TRUE), "hc_partitions.json")
