using Camrelizumab.Safety.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]
[assembly: AssemblyFixture(typeof(MaildevFixture))]
