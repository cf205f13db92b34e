import sys

from zarr5.cli import main

sys.exit(main())
