from_auto = 3
