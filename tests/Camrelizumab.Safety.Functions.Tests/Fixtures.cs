using Camrelizumab.Safety.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]
[assembly: AssemblyFixture(typeof(MaildevFixture))]
[assembly: AssemblyFixture(typeof(Camrelizumab.Safety.Functions.Tests.PublishedApp))]
