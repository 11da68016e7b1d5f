from csxl.cli import main

main()
