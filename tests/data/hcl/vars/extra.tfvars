c = "var-file"
