from rapporteur.cli import main

main()
