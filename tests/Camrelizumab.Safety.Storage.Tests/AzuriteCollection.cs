using Camrelizumab.Safety.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]
