# an over-broad allow-list: the planted RDS problem
extra_db_cidrs = ["0.0.0.0/0"]
