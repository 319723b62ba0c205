# mclust's MAP fits with its default conjugate prior (priorControl()) on the shipped datasets,
# each started from mclust's own hierarchical partition at G (hc VVV on the SVD scaling), and
# run to a tight tolerance so that the fixed point, not the stopping rule, is compared.
# Run from this folder with Debian's r-cran-mclust: Rscript make_prior_reference.R
library(mclust)
library(jsonlite)
models <- c(VVV = "full", VVI = "diag", VII = "spherical", EEE = "tied")
out <- list(mclustVersion = as.character(packageVersion("mclust")), tol = 1e-13, cases = list())
for (name in c("iris", "wine", "breast_cancer")) {
  X <- as.matrix(read.csv(file.path("..", "..", "datasets", paste0(name, ".csv"))))
  X <- X[, colnames(X) != "label"]
  dimnames(X) <- NULL
  n <- nrow(X); p <- ncol(X)
  tree <- hc(X, modelName = "VVV", use = mclust.options("hcUse"))
  for (G in 2:4) {
    start <- as.integer(hclass(tree, G))
    for (model in names(models)) {
      fit <- me(data = X, modelName = model, z = unmap(start), prior = priorControl(),
                control = emControl(tol = c(1e-13, sqrt(.Machine$double.eps)), itmax = c(100000L, 100000L)))
      sigma <- fit$parameters$variance$sigma
      plain <- estep(data = X, modelName = model, parameters = fit$parameters)$loglik
      out$cases[[length(out$cases) + 1]] <- list(
        dataset = name, G = G, model = model, covarianceType = unname(models[model]), start = start,
        loglik = fit$loglik, plainLoglik = plain, iterations = fit$iterations,
        weights = fit$parameters$pro, means = lapply(1:G, function(k) fit$parameters$mean[, k]),
        covariances = lapply(1:G, function(k) lapply(1:p, function(a) sigma[a, , k])))
    }
  }
}
# Without the prior, mclust's own pipeline for one cell: hc start, then EM (Mclust(X, 3, "VVV")).
X <- as.matrix(read.csv(file.path("..", "..", "datasets", "iris.csv")))
X <- X[, colnames(X) != "label"]
ml <- Mclust(X, G = 3, modelNames = "VVV", control = emControl(tol = c(1e-13, sqrt(.Machine$double.eps))))
out$irisMaximumLikelihoodVVV3 <- list(loglik = ml$loglik,
  start = as.integer(hclass(hc(X, modelName = "VVV", use = mclust.options("hcUse")), 3)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), "prior_fits.json")
