# Reference values from R's mclust for MixSpark's mclust models (issue 13).
#
#   Rscript make_mclust_reference.R [stage ...]      (run from anywhere; writes next to this script)
#
# Stages (all when none is given):
#   export mclust's diabetes and thyroid data to data/ (label = the class, 0-based; not a feature)
#   hc     only the starts and mclust's merge sequence (me and d30 write them too)
#   me     mclust's own hierarchical start labels, and me() from them for the 14 models, G = 1..5
#   prior  the same me() fits with prior = priorControl(), and defaultPrior() for each cell
#   bic    mclustBIC(G = 1:9) for the 14 models with and without the prior, and Mclust's choice
#   uni    the univariate models E and V on mclust's acidity data (d = 1)
#   d30    a generated table, d = 30, 3 x 150 rows, where VVV fails and the prior keeps fits finite
#
# Numbers are written with sprintf("%.17g") so that they read back to the same double: jsonlite's
# own digits = NA stops at 15 significant digits.

suppressPackageStartupMessages({
  library(mclust)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
OUT <- normalizePath(if (nzchar(Sys.getenv("MCLUST_OUT"))) Sys.getenv("MCLUST_OUT") else dirname(script))
DATASETS <- normalizePath(file.path(OUT, "..", "datasets"))
stages <- commandArgs(trailingOnly = TRUE)
if (length(stages) == 0) stages <- c("export", "me", "prior", "bic", "uni", "d30")

MODELS <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")
FOUNDATION <- c("iris", "wine", "breast_cancer")
# mclust's iterative M-steps for these take minutes or more per cell at d = 30. The d30 stage leaves them
# out (listed as skipped). The tables of breast_cancer leave out EVE and VVE (EVE at G = 1 does not finish
# in minutes) and fit VEE, in the me tables with SLOW_CONTROL (recorded in each cell), unless
# MCLUST_SKIP_SLOW=1.
SLOW_AT_D30 <- c("VEE", "EVE", "VVE")
skip_slow <- function(models, d, always = TRUE) {
  if (d < 30) return(models)
  if (always || nzchar(Sys.getenv("MCLUST_SKIP_SLOW"))) setdiff(models, SLOW_AT_D30) else setdiff(models, c("EVE", "VVE"))
}
G_ME <- 1:5
G_BIC <- 1:9

# EM and inner M-step tolerances: tight enough that the log-likelihood is settled far below the
# 1e-6 relative comparison (MCLUST_TOL=1e-10 changes them by far less: see the README).
TOL <- if (nzchar(Sys.getenv("MCLUST_TOL"))) as.numeric(Sys.getenv("MCLUST_TOL")) else 1e-12
TIGHT <- emControl(tol = c(TOL, TOL), itmax = c(1e6, 1e5))
# at d = 30 the inner iterations of VEE, EVE, VVE do not reach 1e-12; capped at 1000 and 1e-10 the EM
# still ends at 1e-12 (VEE, G = 2 on breast_cancer: 1e5 EM iterations allowed, 10931 used)
SLOW_CONTROL <- emControl(tol = c(TOL, 1e-10), itmax = c(1e5, 1000))

# ---- JSON with round-trip doubles --------------------------------------------------------------

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
json <- function(s) structure(s, class = "json")
scal <- function(x) if (is.null(x) || length(x) == 0) NULL else json(num(as.numeric(x[1])))
vec <- function(x) if (is.null(x)) NULL else json(paste0("[", paste(num(as.numeric(x)), collapse = ","), "]"))
ints <- function(x) json(paste0("[", paste(as.integer(x), collapse = ","), "]"))
# a d x G matrix as G arrays of d (one per component)
cols <- function(m) json(paste0("[", paste(apply(as.matrix(m), 2, function(c) vec(c)), collapse = ","), "]"))
# a d x d x G array as G matrices of d rows
slices <- function(a) {
  if (is.null(a)) return(NULL)
  a <- array(a, dim = dim(a))
  json(paste0("[", paste(sapply(seq_len(dim(a)[3]), function(k) {
    m <- matrix(a[, , k], dim(a)[1], dim(a)[2])
    paste0("[", paste(apply(m, 1, function(r) vec(r)), collapse = ","), "]")
  }), collapse = ","), "]"))
}

write_json_file <- function(x, name) {
  path <- file.path(OUT, name)
  text <- toJSON(x, auto_unbox = TRUE, json_verbatim = TRUE, null = "null", na = "null", pretty = FALSE)
  if (grepl("\\.gz$", name)) {
    con <- gzfile(path, "w")
    writeLines(text, con)
    close(con)
  } else {
    writeLines(text, path)
  }
  cat(sprintf("wrote %s (%d bytes)\n", path, file.size(path)))
}

versions <- function() list(R = R.version.string, mclust = as.character(packageVersion("mclust")),
                            jsonlite = as.character(packageVersion("jsonlite")))

control_json <- function(control) list(tol = vec(control$tol), itmax = vec(control$itmax), eps = scal(control$eps))

# ---- data --------------------------------------------------------------------------------------

# mclust's own real datasets with d <= 5, where every model finishes quickly (exported by stage "export")
EXTRA <- c("diabetes", "thyroid")

# The shipped CSVs: numeric feature columns, then an integer label column that is not a feature.
# The foundation datasets live in ../datasets, the others in data/.
read_dataset <- function(name, dir = if (file.exists(file.path(DATASETS, paste0(name, ".csv")))) DATASETS else file.path(OUT, "data")) {
  frame <- read.csv(file.path(dir, paste0(name, ".csv")), check.names = FALSE)
  features <- setdiff(colnames(frame), "label")
  list(name = name, x = as.matrix(frame[, features, drop = FALSE]), features = features)
}

# ---- starts: what mclustBIC does before calling me() -------------------------------------------

# mclustBIC (mclust 6.0.0) on n <= mclust.options("subset") rows and d > 1: hc() on all rows with
# hcModelName/hcUse (EII when n <= d), hclass() for each G, unmap() to a 0/1 z. G = 1 is mvn(), not me().
# For d = 1 there is no hc: qclass(data, G) gives the start.
start_labels <- function(x, G) {
  x <- as.matrix(x)
  n <- nrow(x)
  d <- ncol(x)
  stopifnot(n <= mclust.options("subset"))
  Gs <- setdiff(G, 1)
  if (d == 1) {
    labels <- lapply(Gs, function(g) mclust:::qclass(x[, 1], g))
  } else {
    hcModel <- if (n > d) mclust.options("hcModelName") else "EII"
    pairs <- hc(data = x, modelName = hcModel, use = mclust.options("hcUse"))
    HC[[length(HC) + 1]] <<- pairs
    classes <- hclass(pairs, Gs)
    labels <- lapply(as.character(Gs), function(g) classes[, g])
  }
  names(labels) <- as.character(Gs)
  labels[["1"]] <- rep(1L, n)
  labels[as.character(sort(G))]
}

HC <- list()  # the last hc() result, for hc_json

# mclust's merge sequence (hcPairs: merge i joins the classes of rows merges[i][1] and merges[i][2], 1-based,
# the class keeping the smaller index), the partition it starts from, and the transformed data it ran on.
hc_json <- function(ds, pairs) {
  z <- attr(pairs, "data")
  list(dataset = ds$name, n = nrow(ds$x), d = ncol(ds$x), modelName = attr(pairs, "modelName"),
       use = attr(pairs, "use"), initialPartition = ints(attr(pairs, "initialPartition")),
       merges = json(paste0("[", paste(apply(pairs, 2, function(m) paste0("[", m[1], ",", m[2], "]")), collapse = ","), "]")),
       transformedData = json(paste0("[", paste(apply(z, 1, vec), collapse = ","), "]")),
       versions = versions())
}

starts_json <- function(ds, labels) {
  x <- ds$x
  list(dataset = ds$name, n = nrow(x), d = ncol(x), features = I(ds$features),
       hcModelName = if (ncol(x) == 1) NULL else if (nrow(x) > ncol(x)) mclust.options("hcModelName") else "EII",
       hcUse = if (ncol(x) == 1) "qclass" else mclust.options("hcUse"),
       labelsBase = 1L,
       labels = lapply(labels, ints),
       versions = versions())
}

# ---- one me() cell -----------------------------------------------------------------------------

info_of <- function(out) {
  info <- attr(out, "info")
  inner <- attr(info, "inner")
  flat <- unlist(info)
  list(iterations = if (length(flat) >= 1 && is.finite(flat[1])) as.integer(flat[1]) else NULL,
       error = if (length(flat) >= 2) scal(flat[2]) else NULL,
       innerIterations = if (!is.null(inner)) as.integer(unlist(inner)[1]) else NULL,
       innerError = if (!is.null(inner)) scal(unlist(inner)[2]) else NULL)
}

parameters_json <- function(p, d, G) {
  if (is.null(p)) return(NULL)
  sigma <- p$variance$sigma
  # the univariate models E and V keep variances as sigmasq
  if (is.null(sigma) && !is.null(p$variance$sigmasq)) sigma <- array(rep(p$variance$sigmasq, length.out = G), c(1, 1, G))
  list(pro = vec(p$pro), mean = cols(matrix(p$mean, nrow = d, ncol = G)),
       sigma = if (!is.null(sigma)) slices(array(sigma, dim = c(d, d, G))) else NULL,
       scale = vec(p$variance$scale), shape = vec(p$variance$shape))
}

prior_json <- function(prior) {
  if (is.null(prior)) return(NULL)
  list(shrinkage = scal(prior$shrinkage), mean = vec(prior$mean), dof = scal(prior$dof),
       scale = if (length(prior$scale) > 1) {
         s <- as.matrix(prior$scale)
         json(paste0("[", paste(apply(s, 1, vec), collapse = ","), "]"))
       } else vec(prior$scale))
}

fit_cell <- function(x, model, G, labels, control, prior = NULL) {
  n <- nrow(as.matrix(x))
  d <- ncol(as.matrix(x))
  z <- unmap(labels, groups = 1:G)
  t0 <- proc.time()[["elapsed"]]
  out <- tryCatch(
    withCallingHandlers(me(data = x, modelName = model, z = z, prior = prior, control = control, warn = FALSE),
                        warning = function(w) invokeRestart("muffleWarning")),
    error = function(e) structure(list(loglik = NA_real_), error = conditionMessage(e)))
  seconds <- proc.time()[["elapsed"]] - t0
  loglik <- out$loglik
  if (seconds > 5) cat(sprintf("  slow cell: %s G=%d %.1f s\n", model, G, seconds))
  if (nzchar(Sys.getenv("MCLUST_VERBOSE"))) cat(sprintf("  %s G=%d %.2f s\n", model, G, seconds))
  df <- nMclustParams(model, d = d, G = G)
  failed <- is.null(loglik) || !is.finite(loglik)
  message <- c(attr(out, "error"), attr(out, "WARNING"))
  cell <- list(model = model, G = as.integer(G), control = control_json(control), failed = failed,
               message = if (length(message)) paste(message, collapse = "; ") else NULL,
               returnCode = if (!is.null(attr(out, "returnCode"))) as.integer(attr(out, "returnCode")) else NULL,
               loglik = scal(if (failed) NA else loglik),
               df = as.integer(df),
               bic = scal(if (failed) NA else bic(modelName = model, loglik = loglik, n = n, d = d, G = G)),
               seconds = round(seconds, 3))
  cell <- c(cell, info_of(out))
  if (!failed) {
    cell$parameters <- parameters_json(out$parameters, d, G)
    # the log-likelihood of the returned parameters, recomputed: says whether loglik belongs to them
    check <- tryCatch(sum(dens(data = x, modelName = model, parameters = out$parameters, logarithm = TRUE)),
                      error = function(e) NA_real_)
    cell$loglikOfParameters <- scal(check)
  }
  if (!is.null(prior)) cell$defaultPrior <- prior_json(defaultPrior(x, G, model))
  cell
}

me_table <- function(ds, labels, Gs, models, control, prior = NULL, always_skip_slow = FALSE) {
  skipped <- setdiff(models, skip_slow(models, ncol(ds$x), always_skip_slow))
  models <- setdiff(models, skipped)
  cells <- list()
  for (G in Gs) for (model in models) {
    slow <- ncol(ds$x) >= 30 && model %in% SLOW_AT_D30
    cells[[length(cells) + 1]] <- fit_cell(ds$x, model, G, labels[[as.character(G)]],
                                           if (slow) SLOW_CONTROL else control, prior)
  }
  list(dataset = ds$name, n = nrow(ds$x), d = ncol(ds$x), features = I(ds$features),
       start = paste0("starts/", ds$name, ".json"), modelsSkipped = I(skipped),
       control = control_json(control), prior = if (is.null(prior)) NULL else "priorControl()",
       versions = versions(), cells = cells)
}

# ---- the BIC table -----------------------------------------------------------------------------

bic_json <- function(ds, prior = NULL, always_skip_slow = FALSE) {
  x <- ds$x
  models <- if (ncol(x) == 1) c("E", "V") else MODELS
  skipped <- setdiff(models, skip_slow(models, ncol(x), always_skip_slow))
  models <- setdiff(models, skipped)
  set.seed(1)  # mclustBIC samples only when n > mclust.options("subset"); none of these tables is
  table <- mclustBIC(x, G = G_BIC, modelNames = models, prior = prior)
  codes <- attr(table, "returnCodes")
  chosen <- summary(table, x)  # what Mclust() does with the table: the best BIC, refitted
  cells <- list()
  for (g in rownames(table)) for (m in colnames(table)) {
    cells[[length(cells) + 1]] <- list(model = m, G = as.integer(g), bic = scal(table[g, m]),
                                       df = as.integer(nMclustParams(m, d = ncol(x), G = as.integer(g))),
                                       returnCode = as.integer(codes[g, m]),
                                       failed = !is.finite(table[g, m]))
  }
  refused <- setdiff(models, colnames(table))
  list(dataset = ds$name, n = nrow(x), d = ncol(x), features = I(ds$features),
       prior = if (is.null(prior)) NULL else "priorControl()",
       control = control_json(emControl()),
       modelsRequested = I(models), modelsFitted = I(colnames(table)), modelsRefused = I(refused), modelsSkipped = I(skipped),
       cells = cells,
       chosen = list(model = chosen$modelName, G = as.integer(chosen$G), bic = scal(chosen$bic[1]),
                     loglik = scal(chosen$loglik),
                     df = as.integer(nMclustParams(chosen$modelName, d = ncol(x), G = chosen$G))),
       top3 = I(names(pickBIC(table, 3))),
       versions = versions())
}

# ---- stages ------------------------------------------------------------------------------------

timed <- function(label, expr) {
  t0 <- proc.time()[["elapsed"]]
  force(expr)
  cat(sprintf("%s: %.1f s\n", label, proc.time()[["elapsed"]] - t0))
}

dir.create(file.path(OUT, "starts"), showWarnings = FALSE)
for (sub in c("me", "prior", "bic", "data")) dir.create(file.path(OUT, sub), showWarnings = FALSE)

TABLES <- c(FOUNDATION, EXTRA)
ONLY <- Sys.getenv("MCLUST_DATASETS")
if (nzchar(ONLY)) TABLES <- strsplit(ONLY, ",")[[1]]

if ("export" %in% stages) for (name in EXTRA) {
  e <- new.env()
  data(list = name, package = "mclust", envir = e)
  frame <- get(name, envir = e)
  class_column <- names(frame)[sapply(frame, is.factor)]
  features <- frame[, setdiff(names(frame), class_column)]
  out <- data.frame(lapply(features, as.character), label = as.integer(frame[[class_column]]) - 1L)
  write.csv(out, file.path(OUT, "data", paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
}
ONLY_MODELS <- Sys.getenv("MCLUST_MODELS")
ME_MODELS <- if (nzchar(ONLY_MODELS)) strsplit(ONLY_MODELS, ",")[[1]] else MODELS

# only the starts and hierarchies (the me and d30 stages write them too)
if ("hc" %in% stages) for (name in c(TABLES, "d30")) timed(paste("hc", name), {
  ds <- read_dataset(name)
  labels <- start_labels(ds$x, G_BIC)
  write_json_file(starts_json(ds, labels), file.path("starts", paste0(name, ".json")))
  write_json_file(hc_json(ds, HC[[length(HC)]]), file.path("starts", paste0(name, "_hc.json.gz")))
})

if ("me" %in% stages) for (name in TABLES) timed(paste("me", name), {
  ds <- read_dataset(name)
  labels <- start_labels(ds$x, G_BIC)
  write_json_file(starts_json(ds, labels), file.path("starts", paste0(name, ".json")))
  write_json_file(hc_json(ds, HC[[length(HC)]]), file.path("starts", paste0(name, "_hc.json.gz")))
  write_json_file(me_table(ds, labels, G_ME, ME_MODELS, TIGHT), file.path("me", paste0(name, ".json.gz")))
})

if ("prior" %in% stages) for (name in TABLES) timed(paste("prior", name), {
  ds <- read_dataset(name)
  labels <- start_labels(ds$x, G_BIC)
  write_json_file(me_table(ds, labels, G_ME, ME_MODELS, TIGHT, prior = priorControl()),
                  file.path("prior", paste0(name, ".json.gz")))
})

if ("bic" %in% stages) for (name in TABLES) timed(paste("bic", name), {
  ds <- read_dataset(name)
  write_json_file(bic_json(ds), file.path("bic", paste0(name, ".json")))
  write_json_file(bic_json(ds, prior = priorControl()), file.path("bic", paste0(name, "_prior.json")))
})

# mclust's acidity data (Richardson & Green 1997: log acidity index of 155 lakes), d = 1.
if ("uni" %in% stages) timed("uni acidity", {
  data(acidity, package = "mclust")
  write.csv(data.frame(acidity = as.character(acidity)), file.path(OUT, "data", "acidity.csv"),
            row.names = FALSE, quote = FALSE)
  ds <- read_dataset("acidity", file.path(OUT, "data"))
  labels <- start_labels(ds$x, G_BIC)
  write_json_file(starts_json(ds, labels), file.path("starts", "acidity.json"))
  write_json_file(me_table(ds, labels, G_ME, c("E", "V"), TIGHT), file.path("me", "acidity.json.gz"))
  write_json_file(me_table(ds, labels, G_ME, c("E", "V"), TIGHT, prior = priorControl()),
                  file.path("prior", "acidity.json.gz"))
  write_json_file(bic_json(ds), file.path("bic", "acidity.json"))
  write_json_file(bic_json(ds, prior = priorControl()), file.path("bic", "acidity_prior.json"))
})

# Three components in d = 30, 150 rows each: a VVV component has 465 covariance parameters.
if ("d30" %in% stages) timed("d30", {
  set.seed(20261203)
  d <- 30
  rows <- 150
  parts <- lapply(1:3, function(k) {
    centre <- rnorm(d, sd = 3)
    root <- matrix(rnorm(d * d, sd = 1 / sqrt(d)), d, d)
    z <- matrix(rnorm(rows * d), rows, d)
    sweep(z %*% root, 2, centre, "+")
  })
  x <- do.call(rbind, parts)
  colnames(x) <- sprintf("x%02d", 1:d)
  # six decimals: short decimals parse to the same double in R and in Java
  frame <- data.frame(apply(x, 2, function(c) sprintf("%.6f", c)), label = rep(0:2, each = rows))
  write.csv(frame, file.path(OUT, "data", "d30.csv"), row.names = FALSE, quote = FALSE)
  ds <- read_dataset("d30", file.path(OUT, "data"))
  labels <- start_labels(ds$x, G_BIC)
  write_json_file(starts_json(ds, labels), file.path("starts", "d30.json"))
  write_json_file(hc_json(ds, HC[[length(HC)]]), file.path("starts", "d30_hc.json.gz"))
  write_json_file(bic_json(ds, always_skip_slow = TRUE), file.path("bic", "d30.json"))
  write_json_file(bic_json(ds, prior = priorControl(), always_skip_slow = TRUE), file.path("bic", "d30_prior.json"))
  # G = 1..9: VVV fails without the prior from G = 7 on
  write_json_file(me_table(ds, labels, G_BIC, MODELS, TIGHT, always_skip_slow = TRUE), file.path("me", "d30.json.gz"))
  write_json_file(me_table(ds, labels, G_BIC, MODELS, TIGHT, prior = priorControl(), always_skip_slow = TRUE),
                  file.path("prior", "d30.json.gz"))
})
