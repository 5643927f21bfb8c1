from_tfvars = "from terraform.tfvars"
from_auto   = 2
