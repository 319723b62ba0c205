# mclust's MAP fits with its default conjugate prior (priorControl()) on the shipped datasets,
# each started from mclust's own hierarchical partition at G (hc VVV on the SVD scaling), and
# run to a tight tolerance so that the fixed point, not the stopping rule, is compared.
# Run from this folder with Debian's r-cran-mclust: Rscript make_prior_reference.R
library(mclust)
library(jsonlite)
models <- c(VVV = "full", VVI = "diag", VII = "spherical", EEE = "tied", EII = "EII")
univariateColumn <- c(iris = 3, wine = 1, breast_cancer = 1)
out <- list(mclustVersion = as.character(packageVersion("mclust")), tol = 1e-15, cases = list())
control <- emControl(tol = c(1e-15, sqrt(.Machine$double.eps)), itmax = c(1000000L, 100000L))
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
                control = control)
      sigma <- fit$parameters$variance$sigma
      plain <- estep(data = X, modelName = model, parameters = fit$parameters)$loglik
      out$cases[[length(out$cases) + 1]] <- list(
        dataset = name, G = G, model = model, covarianceType = unname(models[model]), start = start,
        loglik = fit$loglik, plainLoglik = plain, iterations = unname(attr(fit, "info")["iterations"]),
        weights = fit$parameters$pro, means = lapply(1:G, function(k) fit$parameters$mean[, k]),
        covariances = lapply(1:G, function(k) lapply(1:p, function(a) sigma[a, , k])))
    }
    # The univariate models on one column, from the same start.
    x <- X[, univariateColumn[[name]]]
    for (model in c("E", "V")) {
      fit <- me(data = x, modelName = model, z = unmap(start), prior = priorControl(),
                control = control)
      variances <- rep_len(fit$parameters$variance$sigmasq, G)
      out$cases[[length(out$cases) + 1]] <- list(
        dataset = name, column = univariateColumn[[name]], G = G, model = model, covarianceType = model,
        start = start, loglik = fit$loglik, iterations = unname(attr(fit, "info")["iterations"]), weights = fit$parameters$pro,
        means = lapply(1:G, function(k) fit$parameters$mean[k]),
        covariances = lapply(1:G, function(k) list(variances[k])))
    }
  }
}
# Without the prior, mclust's own pipeline for one cell: hc start, then EM (Mclust(X, 3, "VVV")).
X <- as.matrix(read.csv(file.path("..", "..", "datasets", "iris.csv")))
X <- X[, colnames(X) != "label"]
ml <- Mclust(X, G = 3, modelNames = "VVV", control = control)
out$irisMaximumLikelihoodVVV3 <- list(loglik = ml$loglik,
  start = as.integer(hclass(hc(X, modelName = "VVV", use = mclust.options("hcUse")), 3)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), "prior_fits.json")
