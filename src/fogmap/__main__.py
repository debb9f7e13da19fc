from fogmap.cli import main

main()
