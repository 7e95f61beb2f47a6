from healthgap.cli import main

main()
