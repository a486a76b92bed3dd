"""Personal access tokens: how programs (a nightly pull into R, a pipeline pushing interviews)
act for a person through the API, within one evaluation and a role no higher than theirs."""
