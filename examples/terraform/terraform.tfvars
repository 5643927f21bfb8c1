project = "gongdan-demo"
env     = "prod"
