# A data manager's nightly pull in R: every evaluation's ratings and results, as dated files.
#
# The same steps as nightly_pull.py (see docs/nightly-pull.md), with httr2 (1.0 or later):
#
#   PEERPRINCIPLES_URL=https://fidelity.example.org \
#   PEERPRINCIPLES_TOKEN=ppat_... Rscript nightly_pull.R /data/fidelity
#
# For each evaluation the token opens it writes <id>-ratings-long-<date>.csv (the final
# ratings, one row per rating) and <id>-results-<date>.json (the results as the token's role
# may see them), each under a temporary name first and renamed when complete. Any error
# stops the pull with exit status 1 and the server's explanation on standard error.

library(httr2)

page_size <- 100
results_tries <- 30

setting <- function(name) {
  value <- trimws(Sys.getenv(name))
  if (!nzchar(value)) {
    stop(sprintf("Set %s in the environment (see docs/nightly-pull.md).", name), call. = FALSE)
  }
  value
}

# The server's problem details (RFC 9457) as the error message, field by field.
explain <- function(resp) {
  problem <- tryCatch(resp_body_json(resp), error = function(e) NULL)
  if (is.null(problem)) {
    return(sprintf("the server answered %s", resp_status(resp)))
  }
  fields <- vapply(
    problem$errors,
    function(error) sprintf("%s: %s", error$field, error$message),
    character(1)
  )
  c(sprintf("%s %s: %s", problem$status, problem$title, problem$detail), fields)
}

api <- function(path) {
  request(setting("PEERPRINCIPLES_URL")) |>
    req_url_path_append(path) |>
    req_auth_bearer_token(setting("PEERPRINCIPLES_TOKEN")) |>
    req_user_agent("peerprinciples nightly pull (R)") |>
    req_timeout(300) |>
    req_error(body = explain)
}

# Every item of a paginated list, following the pages until `count` are read.
every_page <- function(path) {
  items <- list()
  page <- 1
  repeat {
    answer <- api(path) |>
      req_url_query(page = page, page_size = page_size) |>
      req_perform() |>
      resp_body_json()
    items <- c(items, answer$items)
    if (length(answer$items) == 0 || length(items) >= answer$count) {
      return(items)
    }
    page <- page + 1
  }
}

# Write the body of a request to `target` under a temporary name, then rename it into place
# (only for a 200 answer); returns the response.
download <- function(req, target) {
  draft <- tempfile(pattern = paste0(".", basename(target), "."), tmpdir = dirname(target))
  on.exit(unlink(draft))
  resp <- req_perform(req, path = draft)
  if (resp_status(resp) == 200 && !file.rename(draft, target)) {
    stop(sprintf("Could not write %s.", target), call. = FALSE)
  }
  resp
}

# The results, waiting while newer data are being worked out (202 and Retry-After).
pull_results <- function(evaluation_id, target) {
  path <- sprintf("api/v1/evaluations/%s/results/", evaluation_id)
  for (try in seq_len(results_tries)) {
    resp <- download(api(path), target)
    if (resp_status(resp) == 200) {
      return(invisible(resp))
    }
    Sys.sleep(as.numeric(resp_header(resp, "Retry-After", default = "10")))
  }
  download(api(path) |> req_url_query(allow_stale = "true"), target)
}

pull <- function(folder) {
  dir.create(folder, recursive = TRUE, showWarnings = FALSE)
  today <- format(Sys.Date(), "%Y-%m-%d")
  written <- character()
  for (evaluation in every_page("api/v1/evaluations/")) {
    id <- evaluation$id
    ratings <- file.path(folder, sprintf("%s-ratings-long-%s.csv", id, today))
    download(api(sprintf("api/v1/evaluations/%s/exports/long", id)), ratings)
    found <- file.path(folder, sprintf("%s-results-%s.json", id, today))
    pull_results(id, found)
    written <- c(written, ratings, found)
  }
  written
}

main <- function() {
  arguments <- commandArgs(trailingOnly = TRUE)
  folder <- if (length(arguments) > 0) arguments[[1]] else "."
  written <- tryCatch(pull(folder), error = function(e) {
    message("nightly pull failed: ", conditionMessage(e))
    quit(status = 1, save = "no")
  })
  writeLines(written)
}

main()
